"""careguide.privacy"""
