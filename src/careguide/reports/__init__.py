"""careguide.reports"""
