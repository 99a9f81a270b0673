"""careguide.store"""
