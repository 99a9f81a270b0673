"""careguide.factcheck"""
