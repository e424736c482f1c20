"""The assistant replies in the customer's language (seed and times as in test_chat.py:
order 1001 alice@example.com, UPS, estimate moved from Wed 14 to Thu 15 October, last scan
"Departed facility" Memphis, TN on Mon 12 Oct 18:30Z = 14:30 EDT)."""

from typing import Any

import httpx

from tests.api.conftest import Clock
from tests.api.test_chat import TN, Chat, ok, seed


async def test_german_question_gets_german_replies(
    client: httpx.AsyncClient, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    c = Chat(client, store.headers, clock)
    conv = await c.start("2026-10-13T14:00:00Z")
    assert conv["language"] == "en"  # until the customer writes

    r = await c.say("wo ist meine Bestellung 1001?", "2026-10-13T14:00:30Z")
    assert r["language"] == "de" and r["detectedOrderNumber"] == "1001"
    assert r["reply"]["text"] == (
        "Danke. Zum Schutz Ihrer Bestelldaten bestätigen Sie bitte die E-Mail-Adresse der "
        "Bestellung #1001 oder die Postleitzahl der Lieferadresse."
    )
    # An email alone says nothing about the language: still German.
    r = await c.say("alice@example.com", "2026-10-13T14:01:00Z")
    assert r["verified"] is True and r["language"] == "de"
    assert r["reply"]["text"] == "\n".join(
        [
            "Danke, ich habe Ihre Bestellung gefunden.",
            "Die Bestellung #1001 ist mit UPS unterwegs.",
            f"Sendungsnummer: {TN} (UPS).",
            "Letzter Scan: Departed facility, Memphis, TN, Mo., 12. Okt., 14:30 EDT.",
            "Voraussichtliche Zustellung: Donnerstag, 15. Oktober, 1 Tag später als "
            "ursprünglich angekündigt (Mittwoch, 14. Oktober).",
            f"Hier verfolgen: https://www.ups.com/track?loc=en_US&tracknum={TN}",
        ]
    )
    assert r["reply"]["links"][0]["label"] == "Bei UPS verfolgen"

    r = await c.say("vielen Dank, das war's", "2026-10-13T14:02:00Z")
    assert r["reply"]["text"].startswith("Gern geschehen! Schön, dass ich bei der Bestellung")
    assert r["survey"] is not None and r["inquiry"]["resolved"] is True
    detail = await ok(await client.get(f"/api/v1/chat/conversations/{c.id}", headers=store.headers))
    assert detail["language"] == "de"


async def test_language_requested_by_the_widget_is_kept(
    client: httpx.AsyncClient, store: Any, clock: Clock
) -> None:
    await seed(client, store)
    c = Chat(client, store.headers, clock)
    conv = await c.start("2026-10-13T14:00:00Z", lang="es-MX")
    assert conv["language"] == "es"
    r = await c.say("where is my order 1002? my postcode is SW1A 1AA", "2026-10-13T14:00:10Z")
    assert r["language"] == "es" and r["verified"] is True
    # 1002: not shipped, placed Sat 10 Oct, promised Tue 20 Oct.
    assert r["reply"]["text"] == "\n".join(
        [
            "Gracias, he encontrado tu pedido.",
            "El pedido #1002 aún no ha salido de nuestro almacén (se realizó el sábado 10 de "
            "octubre). Queremos entregártelo antes del martes 20 de octubre. Recibirás el "
            "número de seguimiento por correo electrónico en cuanto se envíe.",
        ]
    )


async def test_unknown_language_falls_back_to_detection(
    client: httpx.AsyncClient, store: Any, clock: Clock
) -> None:
    c = Chat(client, store.headers, clock)
    conv = await c.start("2026-10-13T14:00:00Z", lang="zh-CN")
    assert conv["language"] == "en"
    r = await c.say("bonjour, où est ma commande ?", "2026-10-13T14:00:10Z")
    assert r["language"] == "fr"
    # A greeting or a request for the order number (as the classifier reads the question).
    assert r["reply"]["text"].startswith("Je peux vérifier cela pour vous.") or r["reply"][
        "text"
    ].startswith("Bonjour ! Je suis l'assistant commandes.")
