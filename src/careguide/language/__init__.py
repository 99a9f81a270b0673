"""careguide.language"""
