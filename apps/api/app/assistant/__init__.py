"""The order-status assistant (DESIGN 11): conversations and verification (`chat`), the
inquiry-type model, languages, order-number recognition, reply wording, the post-inquiry
survey and the embeddable widget."""
