"""The assistant domain (DESIGN.md section 11): for now the inquiry-type model.

Conversations, verification and replies still live in ``app.services.chat``; they move here
in the domain-layout redesign.
"""
