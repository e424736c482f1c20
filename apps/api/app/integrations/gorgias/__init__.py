from app.integrations.gorgias.provider import PROOF_HEADER, PROVIDER

__all__ = ["PROOF_HEADER", "PROVIDER"]
