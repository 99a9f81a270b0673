"""careguide.api"""
