"""Admin screens: users, departments and sites."""
