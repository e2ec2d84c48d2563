"""The application forms: field types that own their validation, and one form per flow."""
