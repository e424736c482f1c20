"""The order-status assistant (DESIGN 11): the inquiry-type model, languages, order-number
recognition and reply wording. Conversations and verification still live in
``app.services.chat``; they move here in the domain-layout redesign."""
