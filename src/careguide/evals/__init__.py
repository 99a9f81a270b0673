"""careguide.evals"""
