"""careguide.web"""
