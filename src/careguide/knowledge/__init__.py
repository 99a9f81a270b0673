"""careguide.knowledge"""
