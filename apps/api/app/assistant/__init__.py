"""The order-status assistant: languages, order-number recognition and reply wording."""
