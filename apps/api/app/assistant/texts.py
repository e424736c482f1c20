"""Every sentence the assistant writes, in its seven languages (DESIGN 11).

Written and reviewed by people, never machine-translated at run time. Every language has the
same keys with the same placeholders (a test checks it). Placeholders: {number} order number,
{carrier}, {tracking_number}, {url}, {when} a moment, {placed}/{promised}/{estimate}/
{original} days, {place} " (where)" or ", where" or "", {shift}/{late} a count of days
("2 days"), {count}/{index} numbers, {line} a parcel's first line, {what} a scan description,
{minutes} a count of minutes. Carrier descriptions of scans are quoted as the carrier wrote
them.
"""

from __future__ import annotations

from app.assistant.language import Lang

# Templates for "1 day" and "N days", per language (the sentences below fit both).
DAYS: dict[Lang, tuple[str, str]] = {
    "en": ("1 day", "{n} days"),
    "es": ("1 día", "{n} días"),
    "fr": ("1 jour", "{n} jours"),
    "de": ("1 Tag", "{n} Tage"),
    "it": ("1 giorno", "{n} giorni"),
    "pt": ("1 dia", "{n} dias"),
    "nl": ("1 dag", "{n} dagen"),
}

# Babel date patterns: a day ("Thursday 15 October") and a moment without its zone
# ("Mon 12 Oct, 2:30 PM"); the zone's abbreviation (EDT, CEST) is appended as Python names it.
DAY_PATTERN: dict[Lang, str] = {
    "en": "EEEE d MMMM",
    "es": "EEEE d 'de' MMMM",
    "fr": "EEEE d MMMM",
    "de": "EEEE, d. MMMM",
    "it": "EEEE d MMMM",
    "pt": "EEEE, d 'de' MMMM",
    "nl": "EEEE d MMMM",
}
MOMENT_PATTERN: dict[Lang, str] = {
    "en": "EEE d MMM, h:mm a",
    "es": "EEE d 'de' MMM, HH:mm",
    "fr": "EEE d MMM, HH:mm",
    "de": "EEE, d. MMM, HH:mm",
    "it": "EEE d MMM, HH:mm",
    "pt": "EEE, d 'de' MMM, HH:mm",
    "nl": "EEE d MMM, HH:mm",
}

EN: dict[str, str] = {
    "greeting": (
        "Hi! I'm the order assistant. Send me your order number and the email address you "
        "used at checkout (or your postcode), and I'll look your order up."
    ),
    "ask_for_order": (
        "I can look that up for you. Please send your order number and the email address you "
        "used at checkout (or the postcode of the address on the order)."
    ),
    "ask_for_details": (
        "Thanks. To keep your order details private, please confirm the email address used "
        "for order #{number}, or the postcode it is being sent to."
    ),
    "mismatch": (
        "Sorry, I couldn't match those details to order #{number}. Please check the order "
        "number, and use the email address or postcode from your order confirmation. "
        'If you meant another order, write "order" followed by its number.'
    ),
    "which_order": "Thanks. Which order is it about? Please send me the order number.",
    "rate_limited": (
        "Sorry, there have been too many attempts to confirm these details. For your "
        "security, please try again in {minutes} minutes."
    ),
    "closed": "This conversation has ended. Start a new one if there is anything else.",
    "error": "Sorry, something went wrong on our side. Please try again in a moment.",
    "handover": (
        "I've asked a member of our team to join this conversation; they will reply here."
    ),
    "done": "You're welcome! Is there anything else I can help with?",
    "done_with_order": (
        "You're welcome! I'm glad I could help with order #{number}. Would you rate this "
        "conversation? It takes ten seconds."
    ),
    "anything_else": (
        "Is there anything else I can help with for order #{number}? You can ask where it "
        "is, for the tracking link, or when it will arrive."
    ),
    "found": "Thanks, I've found your order.",
    "cancelled": (
        "Order #{number} was cancelled on {when}. If you were charged, the refund goes back "
        "to your original payment method."
    ),
    "cancelled_undated": (
        "Order #{number} was cancelled. If you were charged, the refund goes back to your "
        "original payment method."
    ),
    "refunded": (
        "Order #{number} has been refunded. Refunds usually take 5 to 10 business days to "
        "appear on your statement."
    ),
    "unfulfilled": "Order #{number} has not left our warehouse yet (it was placed on {placed}).",
    "promised": "We aim to deliver it by {promised}.",
    "unfulfilled_advice": "You will get the tracking number by email as soon as it ships.",
    "partial": (
        "Part of order #{number} has shipped; the rest is still being prepared, and you will "
        "get its tracking number by email as soon as it ships."
    ),
    "parcels": "Order #{number} was sent in {count} parcels.",
    "parcel_prefix": "Parcel {index}: {line}",
    "p_delivered": "Order #{number} was delivered by {carrier} on {when}{place}.",
    "p_out_for_delivery": "Order #{number} is out for delivery with {carrier} today.",
    "p_in_transit": "Order #{number} is in transit with {carrier}.",
    "p_available_for_pickup": "Order #{number} is waiting for you at a {carrier} pickup point.",
    "p_failed_attempt": "{carrier} tried to deliver order #{number} but could not.",
    "p_exception": "Order #{number} has a delivery problem with {carrier}.",
    "p_returned": "Order #{number} is being returned to us by {carrier}.",
    "p_expired": "Order #{number} was handed to {carrier}, but its tracking has stopped.",
    "p_pending": (
        "Order #{number} has shipped with {carrier}: the label is created and it is waiting "
        "for the first scan."
    ),
    "tracking_number": "Tracking number: {tracking_number} ({carrier}).",
    "latest_scan": "Latest scan: {what}{place}, {when}.",
    "estimate": "Estimated delivery: {estimate}.",
    "estimate_on_schedule": (
        "Estimated delivery: {estimate}, on schedule with the original estimate."
    ),
    "estimate_later": (
        "Estimated delivery: {estimate}, {shift} later than the original estimate of {original}."
    ),
    "estimate_earlier": (
        "Estimated delivery: {estimate}, {shift} earlier than the original estimate of {original}."
    ),
    "late": ("It was due on {estimate} and is running {late} late; we are keeping an eye on it."),
    "late_moved": (
        "It was due on {estimate} (originally {original}) and is running {late} late; we are "
        "keeping an eye on it."
    ),
    "track_here": "Track it here: {url}",
    "track_with": "Track with {carrier}",
    "refund_advice": (
        'I can\'t issue refunds or returns in this chat, but our team can: reply "agent" and '
        "a member of the team will take it from here."
    ),
    "not_received": (
        "If you cannot find it, please check around your door, your mailbox or parcel "
        "locker, reception and your neighbours, as carriers sometimes leave parcels there. "
        "If it still has not turned up within 24 hours, reply here and our team will open a "
        "claim with {carrier}."
    ),
    "label_pending": "Label created",
    "label_info_received": "Label created",
    "label_in_transit": "In transit",
    "label_out_for_delivery": "Out for delivery",
    "label_failed_attempt": "Delivery attempted",
    "label_available_for_pickup": "Ready for pickup",
    "label_delivered": "Delivered",
    "label_exception": "Delivery exception",
    "label_returned": "Returning to sender",
    "label_expired": "No recent updates",
    "advice_retry": (
        "{carrier} will usually try again on the next business day. You can also arrange a "
        "redelivery or collect it from a {carrier} location using the tracking link."
    ),
    "advice_unavailable": (
        "Nobody was available to receive it. {carrier} will usually try again on the next "
        "business day, or you can reschedule the delivery using the tracking link."
    ),
    "advice_address": (
        "{carrier} could not deliver to the address on the order. Reply with the correct "
        "address and our team will update it with {carrier}."
    ),
    "advice_refused": (
        "The parcel was refused at delivery, so it will come back to us. If that was not "
        "intended, reply here and our team will arrange a new delivery."
    ),
    "advice_customs": (
        "The parcel is being held at customs. {carrier} may contact you by email or text "
        "for documents or import charges; replying to them quickly releases it."
    ),
    "advice_fees": (
        "{carrier} is holding the parcel until import duties or fees are paid. Follow the "
        "payment instructions {carrier} sent you, or use the tracking link."
    ),
    "advice_held": (
        "The parcel is being held at a {carrier} facility. You can ask {carrier} to deliver "
        "it or collect it there using the tracking link."
    ),
    "advice_delay": (
        "{carrier} reported a delay. You do not need to do anything; it will continue as "
        "soon as possible and we are keeping an eye on it."
    ),
    "advice_pickup_missed": (
        "{carrier} missed the scheduled collection from our warehouse; it should be "
        "collected on the next business day."
    ),
    "advice_damaged": (
        "I'm sorry, {carrier} reported the parcel as damaged. Reply here and our team will "
        "send a replacement or a refund."
    ),
    "advice_lost": (
        "I'm sorry, {carrier} reported the parcel as lost. Reply here and our team will send "
        "a replacement or a refund."
    ),
    "advice_returned": (
        "The parcel is on its way back to us. Reply here and our team will arrange a new "
        "delivery or a refund once it arrives."
    ),
    "advice_label": (
        "{carrier} could not process the shipping label. Reply here and our team will check "
        "the order and send you a new tracking number."
    ),
    "advice_tracking_error": (
        "{carrier}'s tracking is temporarily not updating. The parcel is usually still "
        "moving; please check the tracking link again later."
    ),
    "advice_default": (
        "{carrier} reported a problem with the delivery. Check the tracking link for "
        "instructions, or reply here and our team will sort it out with {carrier}."
    ),
}

ES: dict[str, str] = {
    "greeting": (
        "¡Hola! Soy el asistente de pedidos. Envíame tu número de pedido y el correo "
        "electrónico que usaste al comprar (o tu código postal) y buscaré tu pedido."
    ),
    "ask_for_order": (
        "Puedo consultarlo por ti. Envíame tu número de pedido y el correo electrónico que "
        "usaste al comprar (o el código postal de la dirección del pedido)."
    ),
    "ask_for_details": (
        "Gracias. Para proteger los datos de tu pedido, confirma el correo electrónico del "
        "pedido #{number} o el código postal de la dirección de entrega."
    ),
    "mismatch": (
        "Lo siento, esos datos no coinciden con el pedido #{number}. Revisa el número de "
        "pedido y usa el correo electrónico o el código postal de la confirmación del pedido. "
        'Si te referías a otro pedido, escribe "pedido" seguido de su número.'
    ),
    "which_order": "Gracias. ¿De qué pedido se trata? Envíame el número de pedido, por favor.",
    "rate_limited": (
        "Lo siento, ha habido demasiados intentos de confirmar estos datos. Por tu "
        "seguridad, vuelve a intentarlo dentro de {minutes} minutos."
    ),
    "closed": "Esta conversación ha terminado. Inicia una nueva si necesitas algo más.",
    "error": "Lo siento, algo ha fallado por nuestra parte. Inténtalo de nuevo en un momento.",
    "handover": (
        "He pedido a una persona de nuestro equipo que se una a esta conversación; te "
        "responderá aquí."
    ),
    "done": "¡De nada! ¿Puedo ayudarte con algo más?",
    "done_with_order": (
        "¡De nada! Me alegro de haberte ayudado con el pedido #{number}. ¿Quieres valorar "
        "esta conversación? Solo lleva diez segundos."
    ),
    "anything_else": (
        "¿Puedo ayudarte con algo más sobre el pedido #{number}? Puedes preguntar dónde "
        "está, pedir el enlace de seguimiento o cuándo llegará."
    ),
    "found": "Gracias, he encontrado tu pedido.",
    "cancelled": (
        "El pedido #{number} se canceló el {when}. Si se te cobró, el reembolso se hará en "
        "tu método de pago original."
    ),
    "cancelled_undated": (
        "El pedido #{number} se canceló. Si se te cobró, el reembolso se hará en tu método "
        "de pago original."
    ),
    "refunded": (
        "El pedido #{number} ha sido reembolsado. Los reembolsos suelen tardar entre 5 y 10 "
        "días hábiles en aparecer en tu extracto."
    ),
    "unfulfilled": (
        "El pedido #{number} aún no ha salido de nuestro almacén (se realizó el {placed})."
    ),
    "promised": "Queremos entregártelo antes del {promised}.",
    "unfulfilled_advice": (
        "Recibirás el número de seguimiento por correo electrónico en cuanto se envíe."
    ),
    "partial": (
        "Parte del pedido #{number} ya se ha enviado; el resto aún se está preparando y "
        "recibirás su número de seguimiento por correo electrónico en cuanto se envíe."
    ),
    "parcels": "El pedido #{number} se envió en {count} paquetes.",
    "parcel_prefix": "Paquete {index}: {line}",
    "p_delivered": "{carrier} entregó el pedido #{number} el {when}{place}.",
    "p_out_for_delivery": "El pedido #{number} está hoy en reparto con {carrier}.",
    "p_in_transit": "El pedido #{number} está en tránsito con {carrier}.",
    "p_available_for_pickup": (
        "El pedido #{number} te espera en un punto de recogida de {carrier}."
    ),
    "p_failed_attempt": "{carrier} intentó entregar el pedido #{number}, pero no pudo.",
    "p_exception": "El pedido #{number} tiene un problema de entrega con {carrier}.",
    "p_returned": "{carrier} nos está devolviendo el pedido #{number}.",
    "p_expired": (
        "El pedido #{number} se entregó a {carrier}, pero su seguimiento se ha detenido."
    ),
    "p_pending": (
        "El pedido #{number} se ha enviado con {carrier}: la etiqueta está creada y espera "
        "el primer escaneo."
    ),
    "tracking_number": "Número de seguimiento: {tracking_number} ({carrier}).",
    "latest_scan": "Último escaneo: {what}{place}, {when}.",
    "estimate": "Entrega estimada: {estimate}.",
    "estimate_on_schedule": "Entrega estimada: {estimate}, según la estimación original.",
    "estimate_later": (
        "Entrega estimada: {estimate}, {shift} más tarde que la estimación original del {original}."
    ),
    "estimate_earlier": (
        "Entrega estimada: {estimate}, {shift} antes que la estimación original del {original}."
    ),
    "late": ("Debía llegar el {estimate} y lleva {late} de retraso; lo estamos vigilando."),
    "late_moved": (
        "Debía llegar el {estimate} (inicialmente el {original}) y lleva {late} de retraso; "
        "lo estamos vigilando."
    ),
    "track_here": "Síguelo aquí: {url}",
    "track_with": "Seguir con {carrier}",
    "refund_advice": (
        "No puedo gestionar reembolsos ni devoluciones en este chat, pero nuestro equipo sí: "
        'responde "agente" y una persona del equipo se encargará.'
    ),
    "not_received": (
        "Si no lo encuentras, revisa junto a tu puerta, tu buzón o taquilla, la recepción y "
        "a tus vecinos, porque a veces los transportistas dejan los paquetes allí. Si en 24 "
        "horas sigue sin aparecer, responde aquí y nuestro equipo abrirá una reclamación con "
        "{carrier}."
    ),
    "label_pending": "Etiqueta creada",
    "label_info_received": "Etiqueta creada",
    "label_in_transit": "En tránsito",
    "label_out_for_delivery": "En reparto",
    "label_failed_attempt": "Intento de entrega",
    "label_available_for_pickup": "Listo para recoger",
    "label_delivered": "Entregado",
    "label_exception": "Incidencia en la entrega",
    "label_returned": "Volviendo al remitente",
    "label_expired": "Sin novedades recientes",
    "advice_retry": (
        "{carrier} suele volver a intentarlo el siguiente día hábil. También puedes "
        "programar una nueva entrega o recogerlo en un punto de {carrier} desde el enlace de "
        "seguimiento."
    ),
    "advice_unavailable": (
        "No había nadie para recibirlo. {carrier} suele volver a intentarlo el siguiente día "
        "hábil, o puedes reprogramar la entrega desde el enlace de seguimiento."
    ),
    "advice_address": (
        "{carrier} no pudo entregarlo en la dirección del pedido. Responde con la dirección "
        "correcta y nuestro equipo la actualizará con {carrier}."
    ),
    "advice_refused": (
        "El paquete se rechazó en la entrega, así que volverá a nosotros. Si no era tu "
        "intención, responde aquí y nuestro equipo organizará una nueva entrega."
    ),
    "advice_customs": (
        "El paquete está retenido en aduanas. {carrier} puede contactarte por correo o SMS "
        "para pedir documentos o cobrar aranceles; si respondes pronto, lo liberarán antes."
    ),
    "advice_fees": (
        "{carrier} retiene el paquete hasta que se paguen los aranceles o tasas. Sigue las "
        "instrucciones de pago que te envió {carrier} o usa el enlace de seguimiento."
    ),
    "advice_held": (
        "El paquete está retenido en un centro de {carrier}. Puedes pedir a {carrier} que lo "
        "entregue o recogerlo allí desde el enlace de seguimiento."
    ),
    "advice_delay": (
        "{carrier} ha informado de un retraso. No tienes que hacer nada; seguirá su camino "
        "lo antes posible y lo estamos vigilando."
    ),
    "advice_pickup_missed": (
        "{carrier} no pasó a recogerlo por nuestro almacén el día previsto; debería "
        "recogerlo el siguiente día hábil."
    ),
    "advice_damaged": (
        "Lo siento, {carrier} ha informado de que el paquete está dañado. Responde aquí y "
        "nuestro equipo te enviará un reemplazo o un reembolso."
    ),
    "advice_lost": (
        "Lo siento, {carrier} ha informado de que el paquete se ha perdido. Responde aquí y "
        "nuestro equipo te enviará un reemplazo o un reembolso."
    ),
    "advice_returned": (
        "El paquete está volviendo a nosotros. Responde aquí y nuestro equipo organizará una "
        "nueva entrega o un reembolso cuando llegue."
    ),
    "advice_label": (
        "{carrier} no pudo procesar la etiqueta de envío. Responde aquí y nuestro equipo "
        "revisará el pedido y te enviará un nuevo número de seguimiento."
    ),
    "advice_tracking_error": (
        "El seguimiento de {carrier} no se está actualizando por el momento. Normalmente el "
        "paquete sigue en camino; vuelve a consultar el enlace de seguimiento más tarde."
    ),
    "advice_default": (
        "{carrier} ha informado de un problema con la entrega. Consulta el enlace de "
        "seguimiento para ver las instrucciones o responde aquí y nuestro equipo lo "
        "resolverá con {carrier}."
    ),
}

FR: dict[str, str] = {
    "greeting": (
        "Bonjour ! Je suis l'assistant commandes. Envoyez-moi votre numéro de commande et "
        "l'adresse e-mail utilisée lors de l'achat (ou votre code postal), et je retrouverai "
        "votre commande."
    ),
    "ask_for_order": (
        "Je peux vérifier cela pour vous. Envoyez-moi votre numéro de commande et l'adresse "
        "e-mail utilisée lors de l'achat (ou le code postal de l'adresse de la commande)."
    ),
    "ask_for_details": (
        "Merci. Pour protéger les informations de votre commande, confirmez l'adresse e-mail "
        "de la commande #{number} ou le code postal de l'adresse de livraison."
    ),
    "mismatch": (
        "Désolé, ces informations ne correspondent pas à la commande #{number}. Vérifiez le "
        "numéro de commande et utilisez l'adresse e-mail ou le code postal de votre "
        "confirmation de commande. S'il s'agit d'une autre commande, écrivez « commande » "
        "suivi de son numéro."
    ),
    "which_order": "Merci. De quelle commande s'agit-il ? Envoyez-moi le numéro de commande.",
    "rate_limited": (
        "Désolé, il y a eu trop de tentatives pour confirmer ces informations. Pour votre "
        "sécurité, réessayez dans {minutes} minutes."
    ),
    "closed": "Cette conversation est terminée. Commencez-en une nouvelle si besoin.",
    "error": "Désolé, un problème est survenu de notre côté. Réessayez dans un instant.",
    "handover": (
        "J'ai demandé à un membre de notre équipe de rejoindre cette conversation ; il vous "
        "répondra ici."
    ),
    "done": "Avec plaisir ! Puis-je vous aider pour autre chose ?",
    "done_with_order": (
        "Avec plaisir ! Je suis content d'avoir pu vous aider pour la commande #{number}. "
        "Voulez-vous noter cette conversation ? Cela prend dix secondes."
    ),
    "anything_else": (
        "Puis-je vous aider pour autre chose concernant la commande #{number} ? Vous pouvez "
        "demander où elle se trouve, le lien de suivi ou sa date de livraison."
    ),
    "found": "Merci, j'ai trouvé votre commande.",
    "cancelled": (
        "La commande #{number} a été annulée le {when}. Si vous avez été débité, le "
        "remboursement sera fait sur votre moyen de paiement d'origine."
    ),
    "cancelled_undated": (
        "La commande #{number} a été annulée. Si vous avez été débité, le remboursement sera "
        "fait sur votre moyen de paiement d'origine."
    ),
    "refunded": (
        "La commande #{number} a été remboursée. Un remboursement apparaît généralement sur "
        "votre relevé sous 5 à 10 jours ouvrés."
    ),
    "unfulfilled": (
        "La commande #{number} n'a pas encore quitté notre entrepôt (elle a été passée le "
        "{placed})."
    ),
    "promised": "Nous prévoyons de la livrer d'ici le {promised}.",
    "unfulfilled_advice": (
        "Vous recevrez le numéro de suivi par e-mail dès qu'elle sera expédiée."
    ),
    "partial": (
        "Une partie de la commande #{number} a été expédiée ; le reste est en préparation et "
        "vous recevrez son numéro de suivi par e-mail dès son expédition."
    ),
    "parcels": "La commande #{number} a été envoyée en {count} colis.",
    "parcel_prefix": "Colis {index} : {line}",
    "p_delivered": "La commande #{number} a été livrée par {carrier} le {when}{place}.",
    "p_out_for_delivery": (
        "La commande #{number} est en cours de livraison avec {carrier} aujourd'hui."
    ),
    "p_in_transit": "La commande #{number} est en cours d'acheminement avec {carrier}.",
    "p_available_for_pickup": (
        "La commande #{number} vous attend dans un point de retrait {carrier}."
    ),
    "p_failed_attempt": ("{carrier} a essayé de livrer la commande #{number}, mais sans succès."),
    "p_exception": "La commande #{number} rencontre un problème de livraison avec {carrier}.",
    "p_returned": "La commande #{number} nous est retournée par {carrier}.",
    "p_expired": (
        "La commande #{number} a été remise à {carrier}, mais son suivi s'est interrompu."
    ),
    "p_pending": (
        "La commande #{number} a été expédiée avec {carrier} : l'étiquette est créée et le "
        "colis attend son premier scan."
    ),
    "tracking_number": "Numéro de suivi : {tracking_number} ({carrier}).",
    "latest_scan": "Dernier scan : {what}{place}, {when}.",
    "estimate": "Livraison estimée : {estimate}.",
    "estimate_on_schedule": ("Livraison estimée : {estimate}, conforme à l'estimation initiale."),
    "estimate_later": (
        "Livraison estimée : {estimate}, {shift} plus tard que l'estimation initiale du {original}."
    ),
    "estimate_earlier": (
        "Livraison estimée : {estimate}, {shift} plus tôt que l'estimation initiale du {original}."
    ),
    "late": ("Elle était attendue le {estimate} et a {late} de retard ; nous la surveillons."),
    "late_moved": (
        "Elle était attendue le {estimate} (initialement le {original}) et a {late} de "
        "retard ; nous la surveillons."
    ),
    "track_here": "Suivez-la ici : {url}",
    "track_with": "Suivre avec {carrier}",
    "refund_advice": (
        "Je ne peux pas effectuer de remboursement ni de retour dans ce chat, mais notre "
        "équipe le peut : répondez « conseiller » et un membre de l'équipe prendra le relais."
    ),
    "not_received": (
        "Si vous ne le trouvez pas, regardez autour de votre porte, dans votre boîte aux "
        "lettres ou consigne, à l'accueil et chez vos voisins : les transporteurs y déposent "
        "parfois les colis. S'il n'est toujours pas là sous 24 heures, répondez ici et notre "
        "équipe ouvrira une réclamation auprès de {carrier}."
    ),
    "label_pending": "Étiquette créée",
    "label_info_received": "Étiquette créée",
    "label_in_transit": "En transit",
    "label_out_for_delivery": "En cours de livraison",
    "label_failed_attempt": "Tentative de livraison",
    "label_available_for_pickup": "Disponible en point de retrait",
    "label_delivered": "Livré",
    "label_exception": "Incident de livraison",
    "label_returned": "Retour à l'expéditeur",
    "label_expired": "Pas de mise à jour récente",
    "advice_retry": (
        "{carrier} fait généralement une nouvelle tentative le jour ouvré suivant. Vous "
        "pouvez aussi programmer une nouvelle livraison ou le retirer dans un point "
        "{carrier} via le lien de suivi."
    ),
    "advice_unavailable": (
        "Personne n'était présent pour le recevoir. {carrier} fait généralement une nouvelle "
        "tentative le jour ouvré suivant, ou vous pouvez reprogrammer la livraison via le "
        "lien de suivi."
    ),
    "advice_address": (
        "{carrier} n'a pas pu livrer à l'adresse de la commande. Répondez avec l'adresse "
        "correcte et notre équipe la mettra à jour auprès de {carrier}."
    ),
    "advice_refused": (
        "Le colis a été refusé à la livraison et nous sera donc retourné. Si ce n'était pas "
        "voulu, répondez ici et notre équipe organisera une nouvelle livraison."
    ),
    "advice_customs": (
        "Le colis est retenu en douane. {carrier} peut vous contacter par e-mail ou SMS pour "
        "des documents ou des frais d'importation ; une réponse rapide accélère sa libération."
    ),
    "advice_fees": (
        "{carrier} retient le colis jusqu'au paiement des droits ou frais d'importation. "
        "Suivez les instructions de paiement envoyées par {carrier} ou utilisez le lien de "
        "suivi."
    ),
    "advice_held": (
        "Le colis est retenu dans un site {carrier}. Vous pouvez demander à {carrier} de le "
        "livrer ou le retirer sur place via le lien de suivi."
    ),
    "advice_delay": (
        "{carrier} a signalé un retard. Vous n'avez rien à faire ; l'acheminement reprendra "
        "dès que possible et nous le surveillons."
    ),
    "advice_pickup_missed": (
        "{carrier} n'est pas passé récupérer le colis à notre entrepôt comme prévu ; il "
        "devrait être récupéré le jour ouvré suivant."
    ),
    "advice_damaged": (
        "Désolé, {carrier} a signalé que le colis est endommagé. Répondez ici et notre "
        "équipe vous enverra un remplacement ou un remboursement."
    ),
    "advice_lost": (
        "Désolé, {carrier} a signalé que le colis est perdu. Répondez ici et notre équipe "
        "vous enverra un remplacement ou un remboursement."
    ),
    "advice_returned": (
        "Le colis est en route vers nous. Répondez ici et notre équipe organisera une "
        "nouvelle livraison ou un remboursement dès son arrivée."
    ),
    "advice_label": (
        "{carrier} n'a pas pu traiter l'étiquette d'expédition. Répondez ici et notre équipe "
        "vérifiera la commande et vous enverra un nouveau numéro de suivi."
    ),
    "advice_tracking_error": (
        "Le suivi de {carrier} ne se met pas à jour pour le moment. Le colis continue "
        "généralement d'avancer ; consultez à nouveau le lien de suivi plus tard."
    ),
    "advice_default": (
        "{carrier} a signalé un problème de livraison. Consultez le lien de suivi pour les "
        "instructions, ou répondez ici et notre équipe réglera cela avec {carrier}."
    ),
}

DE: dict[str, str] = {
    "greeting": (
        "Hallo! Ich bin der Bestellassistent. Schicken Sie mir Ihre Bestellnummer und die "
        "E-Mail-Adresse, die Sie beim Kauf angegeben haben (oder Ihre Postleitzahl), dann "
        "sehe ich mir Ihre Bestellung an."
    ),
    "ask_for_order": (
        "Das kann ich gern für Sie nachsehen. Bitte schicken Sie mir Ihre Bestellnummer und "
        "die E-Mail-Adresse, die Sie beim Kauf angegeben haben (oder die Postleitzahl der "
        "Lieferadresse)."
    ),
    "ask_for_details": (
        "Danke. Zum Schutz Ihrer Bestelldaten bestätigen Sie bitte die E-Mail-Adresse der "
        "Bestellung #{number} oder die Postleitzahl der Lieferadresse."
    ),
    "mismatch": (
        "Leider passen diese Angaben nicht zur Bestellung #{number}. Bitte prüfen Sie die "
        "Bestellnummer und verwenden Sie die E-Mail-Adresse oder Postleitzahl aus Ihrer "
        "Bestellbestätigung. Geht es um eine andere Bestellung, schreiben Sie "
        "„Bestellung“ und die Nummer."
    ),
    "which_order": "Danke. Um welche Bestellung geht es? Bitte schicken Sie mir die Bestellnummer.",
    "rate_limited": (
        "Leider gab es zu viele Versuche, diese Angaben zu bestätigen. Zu Ihrer Sicherheit "
        "versuchen Sie es bitte in {minutes} Minuten erneut."
    ),
    "closed": (
        "Dieses Gespräch ist beendet. Starten Sie gern ein neues, wenn Sie noch etwas brauchen."
    ),
    "error": (
        "Leider ist bei uns ein Fehler aufgetreten. Bitte versuchen Sie es gleich noch einmal."
    ),
    "handover": (
        "Ich habe ein Mitglied unseres Teams gebeten, dieses Gespräch zu übernehmen; Sie "
        "erhalten die Antwort hier."
    ),
    "done": "Gern geschehen! Kann ich Ihnen sonst noch helfen?",
    "done_with_order": (
        "Gern geschehen! Schön, dass ich bei der Bestellung #{number} helfen konnte. Möchten "
        "Sie dieses Gespräch bewerten? Das dauert nur zehn Sekunden."
    ),
    "anything_else": (
        "Kann ich Ihnen bei der Bestellung #{number} sonst noch helfen? Sie können fragen, wo "
        "sie ist, nach dem Sendungsverfolgungslink oder wann sie ankommt."
    ),
    "found": "Danke, ich habe Ihre Bestellung gefunden.",
    "cancelled": (
        "Die Bestellung #{number} wurde am {when} storniert. Falls Ihnen etwas berechnet "
        "wurde, geht die Erstattung an Ihre ursprüngliche Zahlungsart zurück."
    ),
    "cancelled_undated": (
        "Die Bestellung #{number} wurde storniert. Falls Ihnen etwas berechnet wurde, geht "
        "die Erstattung an Ihre ursprüngliche Zahlungsart zurück."
    ),
    "refunded": (
        "Die Bestellung #{number} wurde erstattet. Erstattungen erscheinen meist innerhalb "
        "von 5 bis 10 Werktagen auf Ihrem Kontoauszug."
    ),
    "unfulfilled": (
        "Die Bestellung #{number} hat unser Lager noch nicht verlassen (sie wurde am "
        "{placed} aufgegeben)."
    ),
    "promised": "Wir möchten sie bis {promised} zustellen.",
    "unfulfilled_advice": (
        "Sie erhalten die Sendungsnummer per E-Mail, sobald sie verschickt wird."
    ),
    "partial": (
        "Ein Teil der Bestellung #{number} wurde verschickt; der Rest wird noch vorbereitet, "
        "und Sie erhalten die Sendungsnummer per E-Mail, sobald er verschickt wird."
    ),
    "parcels": "Die Bestellung #{number} wurde in {count} Paketen verschickt.",
    "parcel_prefix": "Paket {index}: {line}",
    "p_delivered": ("Die Bestellung #{number} wurde am {when}{place} von {carrier} zugestellt."),
    "p_out_for_delivery": ("Die Bestellung #{number} ist heute bei {carrier} in der Zustellung."),
    "p_in_transit": "Die Bestellung #{number} ist mit {carrier} unterwegs.",
    "p_available_for_pickup": (
        "Die Bestellung #{number} liegt für Sie in einer Abholstelle von {carrier} bereit."
    ),
    "p_failed_attempt": (
        "{carrier} hat versucht, die Bestellung #{number} zuzustellen, leider ohne Erfolg."
    ),
    "p_exception": (
        "Bei der Zustellung der Bestellung #{number} durch {carrier} gibt es ein Problem."
    ),
    "p_returned": "Die Bestellung #{number} wird von {carrier} an uns zurückgeschickt.",
    "p_expired": (
        "Die Bestellung #{number} wurde an {carrier} übergeben, aber die Sendungsverfolgung "
        "wird nicht mehr aktualisiert."
    ),
    "p_pending": (
        "Die Bestellung #{number} wurde mit {carrier} verschickt: Das Versandetikett ist "
        "erstellt und das Paket wartet auf den ersten Scan."
    ),
    "tracking_number": "Sendungsnummer: {tracking_number} ({carrier}).",
    "latest_scan": "Letzter Scan: {what}{place}, {when}.",
    "estimate": "Voraussichtliche Zustellung: {estimate}.",
    "estimate_on_schedule": (
        "Voraussichtliche Zustellung: {estimate}, wie ursprünglich angekündigt."
    ),
    "estimate_later": (
        "Voraussichtliche Zustellung: {estimate}, {shift} später als ursprünglich "
        "angekündigt ({original})."
    ),
    "estimate_earlier": (
        "Voraussichtliche Zustellung: {estimate}, {shift} früher als ursprünglich "
        "angekündigt ({original})."
    ),
    "late": (
        "Sie sollte am {estimate} ankommen und ist {late} verspätet; wir behalten sie im Blick."
    ),
    "late_moved": (
        "Sie sollte am {estimate} ankommen (ursprünglich am {original}) und ist {late} "
        "verspätet; wir behalten sie im Blick."
    ),
    "track_here": "Hier verfolgen: {url}",
    "track_with": "Bei {carrier} verfolgen",
    "refund_advice": (
        "Erstattungen und Rücksendungen kann ich in diesem Chat nicht veranlassen, unser "
        "Team aber schon: Antworten Sie „Mitarbeiter“, dann übernimmt jemand aus dem Team."
    ),
    "not_received": (
        "Falls Sie das Paket nicht finden, sehen Sie bitte an Ihrer Tür, im Briefkasten oder "
        "in der Paketstation, am Empfang und bei Ihren Nachbarn nach, denn Zusteller legen "
        "Pakete manchmal dort ab. Ist es nach 24 Stunden noch nicht aufgetaucht, antworten "
        "Sie hier und unser Team stellt einen Nachforschungsantrag bei {carrier}."
    ),
    "label_pending": "Versandetikett erstellt",
    "label_info_received": "Versandetikett erstellt",
    "label_in_transit": "Unterwegs",
    "label_out_for_delivery": "In Zustellung",
    "label_failed_attempt": "Zustellversuch",
    "label_available_for_pickup": "Zur Abholung bereit",
    "label_delivered": "Zugestellt",
    "label_exception": "Zustellproblem",
    "label_returned": "Rücksendung an den Absender",
    "label_expired": "Keine aktuellen Angaben",
    "advice_retry": (
        "{carrier} versucht es in der Regel am nächsten Werktag erneut. Über den "
        "Sendungsverfolgungslink können Sie auch eine neue Zustellung vereinbaren oder das "
        "Paket in einer Filiale von {carrier} abholen."
    ),
    "advice_unavailable": (
        "Es war niemand da, um das Paket anzunehmen. {carrier} versucht es in der Regel am "
        "nächsten Werktag erneut, oder Sie vereinbaren über den Sendungsverfolgungslink "
        "einen neuen Termin."
    ),
    "advice_address": (
        "{carrier} konnte nicht an die Adresse der Bestellung zustellen. Antworten Sie mit "
        "der richtigen Adresse, und unser Team gibt sie an {carrier} weiter."
    ),
    "advice_refused": (
        "Die Annahme des Pakets wurde verweigert, daher kommt es zu uns zurück. Falls das "
        "nicht beabsichtigt war, antworten Sie hier, und unser Team veranlasst eine neue "
        "Zustellung."
    ),
    "advice_customs": (
        "Das Paket liegt beim Zoll. {carrier} meldet sich eventuell per E-Mail oder SMS "
        "wegen Unterlagen oder Einfuhrabgaben; eine schnelle Antwort beschleunigt die "
        "Freigabe."
    ),
    "advice_fees": (
        "{carrier} hält das Paket zurück, bis Zölle oder Gebühren bezahlt sind. Folgen Sie "
        "den Zahlungshinweisen von {carrier} oder nutzen Sie den Sendungsverfolgungslink."
    ),
    "advice_held": (
        "Das Paket liegt in einem Standort von {carrier}. Über den Sendungsverfolgungslink "
        "können Sie die Zustellung beauftragen oder es dort abholen."
    ),
    "advice_delay": (
        "{carrier} hat eine Verzögerung gemeldet. Sie müssen nichts tun; die Sendung geht "
        "so bald wie möglich weiter, und wir behalten sie im Blick."
    ),
    "advice_pickup_missed": (
        "{carrier} hat die geplante Abholung in unserem Lager verpasst; das Paket sollte am "
        "nächsten Werktag abgeholt werden."
    ),
    "advice_damaged": (
        "Das tut mir leid: {carrier} hat das Paket als beschädigt gemeldet. Antworten Sie "
        "hier, und unser Team schickt Ihnen Ersatz oder erstattet den Betrag."
    ),
    "advice_lost": (
        "Das tut mir leid: {carrier} hat das Paket als verloren gemeldet. Antworten Sie "
        "hier, und unser Team schickt Ihnen Ersatz oder erstattet den Betrag."
    ),
    "advice_returned": (
        "Das Paket ist auf dem Rückweg zu uns. Antworten Sie hier, und unser Team "
        "veranlasst nach seinem Eintreffen eine neue Zustellung oder eine Erstattung."
    ),
    "advice_label": (
        "{carrier} konnte das Versandetikett nicht verarbeiten. Antworten Sie hier, und "
        "unser Team prüft die Bestellung und schickt Ihnen eine neue Sendungsnummer."
    ),
    "advice_tracking_error": (
        "Die Sendungsverfolgung von {carrier} wird zurzeit nicht aktualisiert. Das Paket ist "
        "meist trotzdem unterwegs; sehen Sie später noch einmal über den Link nach."
    ),
    "advice_default": (
        "{carrier} hat ein Problem bei der Zustellung gemeldet. Hinweise finden Sie über den "
        "Sendungsverfolgungslink, oder antworten Sie hier, und unser Team klärt es mit "
        "{carrier}."
    ),
}

IT: dict[str, str] = {
    "greeting": (
        "Ciao! Sono l'assistente ordini. Inviami il numero dell'ordine e l'indirizzo email "
        "usato per l'acquisto (o il tuo CAP) e cercherò il tuo ordine."
    ),
    "ask_for_order": (
        "Posso verificarlo per te. Inviami il numero dell'ordine e l'indirizzo email usato "
        "per l'acquisto (o il CAP dell'indirizzo dell'ordine)."
    ),
    "ask_for_details": (
        "Grazie. Per proteggere i dati del tuo ordine, conferma l'indirizzo email dell'ordine "
        "#{number} o il CAP dell'indirizzo di consegna."
    ),
    "mismatch": (
        "Mi dispiace, questi dati non corrispondono all'ordine #{number}. Controlla il "
        "numero dell'ordine e usa l'indirizzo email o il CAP della conferma d'ordine. Se "
        'intendevi un altro ordine, scrivi "ordine" seguito dal suo numero.'
    ),
    "which_order": "Grazie. Di quale ordine si tratta? Inviami il numero dell'ordine.",
    "rate_limited": (
        "Mi dispiace, ci sono stati troppi tentativi di confermare questi dati. Per la tua "
        "sicurezza, riprova tra {minutes} minuti."
    ),
    "closed": "Questa conversazione è terminata. Iniziane una nuova se ti serve altro.",
    "error": "Mi dispiace, si è verificato un problema da parte nostra. Riprova tra poco.",
    "handover": (
        "Ho chiesto a una persona del nostro team di unirsi a questa conversazione; ti "
        "risponderà qui."
    ),
    "done": "Prego! Posso aiutarti con qualcos'altro?",
    "done_with_order": (
        "Prego! Sono contento di averti aiutato con l'ordine #{number}. Vuoi valutare questa "
        "conversazione? Bastano dieci secondi."
    ),
    "anything_else": (
        "Posso aiutarti con qualcos'altro per l'ordine #{number}? Puoi chiedere dove si "
        "trova, il link di tracciamento o quando arriverà."
    ),
    "found": "Grazie, ho trovato il tuo ordine.",
    "cancelled": (
        "L'ordine #{number} è stato annullato il {when}. Se ti è stato addebitato, il "
        "rimborso tornerà sul metodo di pagamento originale."
    ),
    "cancelled_undated": (
        "L'ordine #{number} è stato annullato. Se ti è stato addebitato, il rimborso tornerà "
        "sul metodo di pagamento originale."
    ),
    "refunded": (
        "L'ordine #{number} è stato rimborsato. Di solito i rimborsi compaiono sull'estratto "
        "conto entro 5-10 giorni lavorativi."
    ),
    "unfulfilled": (
        "L'ordine #{number} non ha ancora lasciato il nostro magazzino (è stato effettuato "
        "{placed})."
    ),
    "promised": "Contiamo di consegnarlo entro {promised}.",
    "unfulfilled_advice": (
        "Riceverai il numero di tracciamento via email non appena sarà spedito."
    ),
    "partial": (
        "Una parte dell'ordine #{number} è stata spedita; il resto è ancora in preparazione e "
        "riceverai il suo numero di tracciamento via email non appena sarà spedito."
    ),
    "parcels": "L'ordine #{number} è stato spedito in {count} pacchi.",
    "parcel_prefix": "Pacco {index}: {line}",
    "p_delivered": "L'ordine #{number} è stato consegnato da {carrier} {when}{place}.",
    "p_out_for_delivery": "L'ordine #{number} è in consegna oggi con {carrier}.",
    "p_in_transit": "L'ordine #{number} è in transito con {carrier}.",
    "p_available_for_pickup": ("L'ordine #{number} ti aspetta in un punto di ritiro {carrier}."),
    "p_failed_attempt": (
        "{carrier} ha provato a consegnare l'ordine #{number}, ma non è riuscito."
    ),
    "p_exception": "L'ordine #{number} ha un problema di consegna con {carrier}.",
    "p_returned": "L'ordine #{number} ci sta tornando indietro con {carrier}.",
    "p_expired": (
        "L'ordine #{number} è stato affidato a {carrier}, ma il tracciamento si è fermato."
    ),
    "p_pending": (
        "L'ordine #{number} è stato spedito con {carrier}: l'etichetta è stata creata e il "
        "pacco attende la prima scansione."
    ),
    "tracking_number": "Numero di tracciamento: {tracking_number} ({carrier}).",
    "latest_scan": "Ultima scansione: {what}{place}, {when}.",
    "estimate": "Consegna prevista: {estimate}.",
    "estimate_on_schedule": "Consegna prevista: {estimate}, in linea con la stima iniziale.",
    "estimate_later": (
        "Consegna prevista: {estimate}, {shift} dopo la stima iniziale ({original})."
    ),
    "estimate_earlier": (
        "Consegna prevista: {estimate}, {shift} prima della stima iniziale ({original})."
    ),
    "late": ("Doveva arrivare {estimate} ed è in ritardo di {late}; lo stiamo tenendo d'occhio."),
    "late_moved": (
        "Doveva arrivare {estimate} (inizialmente {original}) ed è in ritardo di {late}; lo "
        "stiamo tenendo d'occhio."
    ),
    "track_here": "Traccialo qui: {url}",
    "track_with": "Traccia con {carrier}",
    "refund_advice": (
        "Non posso gestire rimborsi o resi in questa chat, ma il nostro team sì: rispondi "
        '"operatore" e una persona del team se ne occuperà.'
    ),
    "not_received": (
        "Se non lo trovi, controlla vicino alla porta, nella cassetta della posta o nel "
        "locker, alla reception e dai vicini: a volte i corrieri lasciano lì i pacchi. Se "
        "entro 24 ore non è ancora comparso, rispondi qui e il nostro team aprirà un reclamo "
        "con {carrier}."
    ),
    "label_pending": "Etichetta creata",
    "label_info_received": "Etichetta creata",
    "label_in_transit": "In transito",
    "label_out_for_delivery": "In consegna",
    "label_failed_attempt": "Tentativo di consegna",
    "label_available_for_pickup": "Pronto per il ritiro",
    "label_delivered": "Consegnato",
    "label_exception": "Problema di consegna",
    "label_returned": "In restituzione al mittente",
    "label_expired": "Nessun aggiornamento recente",
    "advice_retry": (
        "Di solito {carrier} riprova il giorno lavorativo successivo. Dal link di "
        "tracciamento puoi anche programmare una nuova consegna o ritirarlo in un punto "
        "{carrier}."
    ),
    "advice_unavailable": (
        "Non c'era nessuno per riceverlo. Di solito {carrier} riprova il giorno lavorativo "
        "successivo, oppure puoi riprogrammare la consegna dal link di tracciamento."
    ),
    "advice_address": (
        "{carrier} non è riuscito a consegnare all'indirizzo dell'ordine. Rispondi con "
        "l'indirizzo corretto e il nostro team lo aggiornerà con {carrier}."
    ),
    "advice_refused": (
        "Il pacco è stato rifiutato alla consegna e quindi tornerà da noi. Se non era tua "
        "intenzione, rispondi qui e il nostro team organizzerà una nuova consegna."
    ),
    "advice_customs": (
        "Il pacco è fermo in dogana. {carrier} potrebbe contattarti via email o SMS per "
        "documenti o dazi; rispondere subito ne accelera lo sblocco."
    ),
    "advice_fees": (
        "{carrier} trattiene il pacco finché non vengono pagati dazi o tasse. Segui le "
        "istruzioni di pagamento inviate da {carrier} o usa il link di tracciamento."
    ),
    "advice_held": (
        "Il pacco è fermo in una sede {carrier}. Dal link di tracciamento puoi chiedere a "
        "{carrier} di consegnarlo o ritirarlo lì."
    ),
    "advice_delay": (
        "{carrier} ha segnalato un ritardo. Non devi fare nulla; il pacco ripartirà appena "
        "possibile e lo stiamo tenendo d'occhio."
    ),
    "advice_pickup_missed": (
        "{carrier} non è passato a ritirare il pacco dal nostro magazzino come previsto; "
        "dovrebbe ritirarlo il giorno lavorativo successivo."
    ),
    "advice_damaged": (
        "Mi dispiace, {carrier} ha segnalato il pacco come danneggiato. Rispondi qui e il "
        "nostro team ti invierà una sostituzione o un rimborso."
    ),
    "advice_lost": (
        "Mi dispiace, {carrier} ha segnalato il pacco come smarrito. Rispondi qui e il "
        "nostro team ti invierà una sostituzione o un rimborso."
    ),
    "advice_returned": (
        "Il pacco sta tornando da noi. Rispondi qui e il nostro team organizzerà una nuova "
        "consegna o un rimborso quando arriverà."
    ),
    "advice_label": (
        "{carrier} non è riuscito a elaborare l'etichetta di spedizione. Rispondi qui e il "
        "nostro team controllerà l'ordine e ti invierà un nuovo numero di tracciamento."
    ),
    "advice_tracking_error": (
        "Il tracciamento di {carrier} al momento non si aggiorna. Di solito il pacco è "
        "comunque in viaggio; ricontrolla il link di tracciamento più tardi."
    ),
    "advice_default": (
        "{carrier} ha segnalato un problema con la consegna. Controlla il link di "
        "tracciamento per le istruzioni, oppure rispondi qui e il nostro team lo risolverà "
        "con {carrier}."
    ),
}

PT: dict[str, str] = {
    "greeting": (
        "Olá! Sou o assistente de encomendas. Envie-me o número da sua encomenda e o e-mail "
        "que usou na compra (ou o seu código postal) e eu procuro a sua encomenda."
    ),
    "ask_for_order": (
        "Posso verificar isso para si. Envie-me o número da encomenda e o e-mail que usou na "
        "compra (ou o código postal da morada da encomenda)."
    ),
    "ask_for_details": (
        "Obrigado. Para proteger os dados da sua encomenda, confirme o e-mail da encomenda "
        "#{number} ou o código postal da morada de entrega."
    ),
    "mismatch": (
        "Lamento, esses dados não correspondem à encomenda #{number}. Verifique o número da "
        "encomenda e use o e-mail ou o código postal da confirmação da encomenda. Se se "
        'refere a outra encomenda, escreva "encomenda" seguido do número.'
    ),
    "which_order": "Obrigado. De que encomenda se trata? Envie-me o número da encomenda.",
    "rate_limited": (
        "Lamento, houve demasiadas tentativas de confirmar estes dados. Por segurança, "
        "tente novamente dentro de {minutes} minutos."
    ),
    "closed": "Esta conversa terminou. Inicie uma nova se precisar de mais alguma coisa.",
    "error": "Lamento, algo correu mal do nosso lado. Tente novamente dentro de momentos.",
    "handover": (
        "Pedi a um membro da nossa equipa para se juntar a esta conversa; vai responder-lhe aqui."
    ),
    "done": "De nada! Posso ajudar com mais alguma coisa?",
    "done_with_order": (
        "De nada! Fico contente por ter ajudado com a encomenda #{number}. Quer avaliar esta "
        "conversa? Demora dez segundos."
    ),
    "anything_else": (
        "Posso ajudar com mais alguma coisa sobre a encomenda #{number}? Pode perguntar onde "
        "está, pedir o link de seguimento ou quando vai chegar."
    ),
    "found": "Obrigado, encontrei a sua encomenda.",
    "cancelled": (
        "A encomenda #{number} foi cancelada em {when}. Se foi cobrado, o reembolso será "
        "feito no seu método de pagamento original."
    ),
    "cancelled_undated": (
        "A encomenda #{number} foi cancelada. Se foi cobrado, o reembolso será feito no seu "
        "método de pagamento original."
    ),
    "refunded": (
        "A encomenda #{number} foi reembolsada. Os reembolsos costumam demorar 5 a 10 dias "
        "úteis a aparecer no seu extrato."
    ),
    "unfulfilled": (
        "A encomenda #{number} ainda não saiu do nosso armazém (foi feita em {placed})."
    ),
    "promised": "Contamos entregá-la até {promised}.",
    "unfulfilled_advice": ("Vai receber o número de seguimento por e-mail assim que for enviada."),
    "partial": (
        "Parte da encomenda #{number} já foi enviada; o resto ainda está a ser preparado e "
        "vai receber o número de seguimento por e-mail assim que for enviado."
    ),
    "parcels": "A encomenda #{number} foi enviada em {count} volumes.",
    "parcel_prefix": "Volume {index}: {line}",
    "p_delivered": "A encomenda #{number} foi entregue pela {carrier} em {when}{place}.",
    "p_out_for_delivery": "A encomenda #{number} está hoje em distribuição com a {carrier}.",
    "p_in_transit": "A encomenda #{number} está em trânsito com a {carrier}.",
    "p_available_for_pickup": (
        "A encomenda #{number} está à sua espera num ponto de recolha da {carrier}."
    ),
    "p_failed_attempt": ("A {carrier} tentou entregar a encomenda #{number}, mas não conseguiu."),
    "p_exception": "A encomenda #{number} tem um problema de entrega com a {carrier}.",
    "p_returned": "A encomenda #{number} está a ser devolvida a nós pela {carrier}.",
    "p_expired": ("A encomenda #{number} foi entregue à {carrier}, mas o seguimento parou."),
    "p_pending": (
        "A encomenda #{number} foi enviada com a {carrier}: a etiqueta está criada e aguarda "
        "a primeira leitura."
    ),
    "tracking_number": "Número de seguimento: {tracking_number} ({carrier}).",
    "latest_scan": "Última leitura: {what}{place}, {when}.",
    "estimate": "Entrega prevista: {estimate}.",
    "estimate_on_schedule": "Entrega prevista: {estimate}, dentro da previsão inicial.",
    "estimate_later": (
        "Entrega prevista: {estimate}, {shift} depois da previsão inicial ({original})."
    ),
    "estimate_earlier": (
        "Entrega prevista: {estimate}, {shift} antes da previsão inicial ({original})."
    ),
    "late": ("Devia ter chegado em {estimate} e está com {late} de atraso; estamos a acompanhar."),
    "late_moved": (
        "Devia ter chegado em {estimate} (inicialmente {original}) e está com {late} de "
        "atraso; estamos a acompanhar."
    ),
    "track_here": "Acompanhe aqui: {url}",
    "track_with": "Seguir com a {carrier}",
    "refund_advice": (
        "Não consigo tratar de reembolsos nem devoluções neste chat, mas a nossa equipa "
        'consegue: responda "agente" e um membro da equipa vai ajudá-lo.'
    ),
    "not_received": (
        "Se não a encontrar, verifique junto à porta, na caixa do correio ou cacifo, na "
        "receção e junto dos vizinhos, pois às vezes as transportadoras deixam lá as "
        "encomendas. Se em 24 horas ainda não tiver aparecido, responda aqui e a nossa "
        "equipa abre uma reclamação junto da {carrier}."
    ),
    "label_pending": "Etiqueta criada",
    "label_info_received": "Etiqueta criada",
    "label_in_transit": "Em trânsito",
    "label_out_for_delivery": "Em distribuição",
    "label_failed_attempt": "Tentativa de entrega",
    "label_available_for_pickup": "Pronta para recolha",
    "label_delivered": "Entregue",
    "label_exception": "Problema na entrega",
    "label_returned": "A regressar ao remetente",
    "label_expired": "Sem atualizações recentes",
    "advice_retry": (
        "A {carrier} costuma tentar de novo no dia útil seguinte. Pelo link de seguimento "
        "também pode agendar nova entrega ou levantá-la num ponto da {carrier}."
    ),
    "advice_unavailable": (
        "Não estava ninguém para a receber. A {carrier} costuma tentar de novo no dia útil "
        "seguinte, ou pode reagendar a entrega pelo link de seguimento."
    ),
    "advice_address": (
        "A {carrier} não conseguiu entregar na morada da encomenda. Responda com a morada "
        "correta e a nossa equipa atualiza-a junto da {carrier}."
    ),
    "advice_refused": (
        "A encomenda foi recusada na entrega e vai voltar para nós. Se não era essa a "
        "intenção, responda aqui e a nossa equipa organiza uma nova entrega."
    ),
    "advice_customs": (
        "A encomenda está retida na alfândega. A {carrier} pode contactá-lo por e-mail ou SMS "
        "a pedir documentos ou taxas de importação; responder depressa acelera a libertação."
    ),
    "advice_fees": (
        "A {carrier} retém a encomenda até serem pagos os direitos ou taxas. Siga as "
        "instruções de pagamento que a {carrier} lhe enviou ou use o link de seguimento."
    ),
    "advice_held": (
        "A encomenda está retida num centro da {carrier}. Pelo link de seguimento pode pedir "
        "à {carrier} que a entregue ou levantá-la lá."
    ),
    "advice_delay": (
        "A {carrier} comunicou um atraso. Não precisa de fazer nada; a encomenda vai seguir "
        "assim que possível e estamos a acompanhar."
    ),
    "advice_pickup_missed": (
        "A {carrier} não fez a recolha prevista no nosso armazém; deve recolhê-la no dia "
        "útil seguinte."
    ),
    "advice_damaged": (
        "Lamento, a {carrier} indicou que a encomenda está danificada. Responda aqui e a "
        "nossa equipa envia-lhe uma substituição ou um reembolso."
    ),
    "advice_lost": (
        "Lamento, a {carrier} indicou que a encomenda se perdeu. Responda aqui e a nossa "
        "equipa envia-lhe uma substituição ou um reembolso."
    ),
    "advice_returned": (
        "A encomenda está a voltar para nós. Responda aqui e a nossa equipa organiza uma "
        "nova entrega ou um reembolso quando chegar."
    ),
    "advice_label": (
        "A {carrier} não conseguiu processar a etiqueta de envio. Responda aqui e a nossa "
        "equipa verifica a encomenda e envia-lhe um novo número de seguimento."
    ),
    "advice_tracking_error": (
        "O seguimento da {carrier} não está a ser atualizado de momento. Normalmente a "
        "encomenda continua a caminho; volte a consultar o link de seguimento mais tarde."
    ),
    "advice_default": (
        "A {carrier} comunicou um problema com a entrega. Consulte o link de seguimento para "
        "ver as instruções ou responda aqui e a nossa equipa resolve com a {carrier}."
    ),
}

NL: dict[str, str] = {
    "greeting": (
        "Hallo! Ik ben de bestelassistent. Stuur me je bestelnummer en het e-mailadres dat je "
        "bij het afrekenen hebt gebruikt (of je postcode), dan zoek ik je bestelling op."
    ),
    "ask_for_order": (
        "Dat zoek ik graag voor je op. Stuur me je bestelnummer en het e-mailadres dat je bij "
        "het afrekenen hebt gebruikt (of de postcode van het adres op de bestelling)."
    ),
    "ask_for_details": (
        "Bedankt. Om je bestelgegevens te beschermen: bevestig het e-mailadres van bestelling "
        "#{number} of de postcode van het bezorgadres."
    ),
    "mismatch": (
        "Sorry, die gegevens komen niet overeen met bestelling #{number}. Controleer het "
        "bestelnummer en gebruik het e-mailadres of de postcode uit je orderbevestiging. "
        'Bedoel je een andere bestelling, schrijf dan "bestelling" gevolgd door het nummer.'
    ),
    "which_order": "Bedankt. Over welke bestelling gaat het? Stuur me het bestelnummer.",
    "rate_limited": (
        "Sorry, er zijn te veel pogingen gedaan om deze gegevens te bevestigen. Probeer het "
        "voor je veiligheid over {minutes} minuten opnieuw."
    ),
    "closed": "Dit gesprek is beëindigd. Begin een nieuw gesprek als je nog iets nodig hebt.",
    "error": "Sorry, er ging bij ons iets mis. Probeer het zo nog eens.",
    "handover": (
        "Ik heb een collega uit ons team gevraagd om dit gesprek over te nemen; je krijgt "
        "hier antwoord."
    ),
    "done": "Graag gedaan! Kan ik je nog ergens anders mee helpen?",
    "done_with_order": (
        "Graag gedaan! Fijn dat ik je kon helpen met bestelling #{number}. Wil je dit gesprek "
        "beoordelen? Het duurt maar tien seconden."
    ),
    "anything_else": (
        "Kan ik je nog ergens mee helpen voor bestelling #{number}? Je kunt vragen waar hij "
        "is, om de track-and-tracelink of wanneer hij aankomt."
    ),
    "found": "Bedankt, ik heb je bestelling gevonden.",
    "cancelled": (
        "Bestelling #{number} is geannuleerd op {when}. Als er al betaald is, gaat de "
        "terugbetaling naar je oorspronkelijke betaalmethode."
    ),
    "cancelled_undated": (
        "Bestelling #{number} is geannuleerd. Als er al betaald is, gaat de terugbetaling "
        "naar je oorspronkelijke betaalmethode."
    ),
    "refunded": (
        "Bestelling #{number} is terugbetaald. Een terugbetaling staat meestal binnen 5 tot "
        "10 werkdagen op je rekening."
    ),
    "unfulfilled": (
        "Bestelling #{number} heeft ons magazijn nog niet verlaten (geplaatst op {placed})."
    ),
    "promised": "We willen hem uiterlijk {promised} bezorgen.",
    "unfulfilled_advice": ("Je krijgt de trackingcode per e-mail zodra hij verzonden is."),
    "partial": (
        "Een deel van bestelling #{number} is verzonden; de rest wordt nog klaargemaakt en "
        "je krijgt de trackingcode per e-mail zodra die verzonden is."
    ),
    "parcels": "Bestelling #{number} is in {count} pakketten verzonden.",
    "parcel_prefix": "Pakket {index}: {line}",
    "p_delivered": "Bestelling #{number} is op {when}{place} bezorgd door {carrier}.",
    "p_out_for_delivery": "Bestelling #{number} wordt vandaag bezorgd door {carrier}.",
    "p_in_transit": "Bestelling #{number} is onderweg met {carrier}.",
    "p_available_for_pickup": (
        "Bestelling #{number} ligt voor je klaar bij een afhaalpunt van {carrier}."
    ),
    "p_failed_attempt": (
        "{carrier} heeft geprobeerd bestelling #{number} te bezorgen, maar dat lukte niet."
    ),
    "p_exception": "Er is een bezorgprobleem met bestelling #{number} bij {carrier}.",
    "p_returned": "Bestelling #{number} wordt door {carrier} naar ons teruggestuurd.",
    "p_expired": (
        "Bestelling #{number} is aan {carrier} meegegeven, maar de tracking wordt niet meer "
        "bijgewerkt."
    ),
    "p_pending": (
        "Bestelling #{number} is verzonden met {carrier}: het verzendlabel is aangemaakt en "
        "het pakket wacht op de eerste scan."
    ),
    "tracking_number": "Trackingcode: {tracking_number} ({carrier}).",
    "latest_scan": "Laatste scan: {what}{place}, {when}.",
    "estimate": "Verwachte bezorging: {estimate}.",
    "estimate_on_schedule": (
        "Verwachte bezorging: {estimate}, volgens de oorspronkelijke planning."
    ),
    "estimate_later": (
        "Verwachte bezorging: {estimate}, {shift} later dan oorspronkelijk verwacht ({original})."
    ),
    "estimate_earlier": (
        "Verwachte bezorging: {estimate}, {shift} eerder dan oorspronkelijk verwacht ({original})."
    ),
    "late": (
        "Hij had op {estimate} moeten aankomen en is {late} te laat; we houden hem in de gaten."
    ),
    "late_moved": (
        "Hij had op {estimate} moeten aankomen (oorspronkelijk {original}) en is {late} te "
        "laat; we houden hem in de gaten."
    ),
    "track_here": "Volg hem hier: {url}",
    "track_with": "Volgen bij {carrier}",
    "refund_advice": (
        "Terugbetalingen en retouren kan ik in deze chat niet regelen, maar ons team wel: "
        'antwoord "medewerker" en een collega neemt het over.'
    ),
    "not_received": (
        "Kun je het pakket niet vinden? Kijk dan bij je deur, in je brievenbus of "
        "pakketkluis, bij de receptie en bij je buren, want bezorgers laten pakketten daar "
        "soms achter. Is het na 24 uur nog niet opgedoken, antwoord dan hier en ons team "
        "dient een claim in bij {carrier}."
    ),
    "label_pending": "Verzendlabel aangemaakt",
    "label_info_received": "Verzendlabel aangemaakt",
    "label_in_transit": "Onderweg",
    "label_out_for_delivery": "Wordt bezorgd",
    "label_failed_attempt": "Bezorgpoging",
    "label_available_for_pickup": "Klaar om af te halen",
    "label_delivered": "Bezorgd",
    "label_exception": "Bezorgprobleem",
    "label_returned": "Retour naar afzender",
    "label_expired": "Geen recente updates",
    "advice_retry": (
        "{carrier} probeert het meestal de volgende werkdag opnieuw. Via de "
        "track-and-tracelink kun je ook een nieuwe bezorging regelen of het pakket ophalen "
        "bij een punt van {carrier}."
    ),
    "advice_unavailable": (
        "Er was niemand aanwezig om het pakket aan te nemen. {carrier} probeert het meestal "
        "de volgende werkdag opnieuw, of je plant de bezorging opnieuw in via de "
        "track-and-tracelink."
    ),
    "advice_address": (
        "{carrier} kon niet bezorgen op het adres van de bestelling. Antwoord met het juiste "
        "adres en ons team geeft het door aan {carrier}."
    ),
    "advice_refused": (
        "Het pakket is bij de bezorging geweigerd en komt dus naar ons terug. Was dat niet "
        "de bedoeling, antwoord dan hier en ons team regelt een nieuwe bezorging."
    ),
    "advice_customs": (
        "Het pakket wordt bij de douane vastgehouden. {carrier} kan je per e-mail of sms om "
        "documenten of invoerkosten vragen; snel reageren zorgt dat het eerder vrijkomt."
    ),
    "advice_fees": (
        "{carrier} houdt het pakket vast tot de invoerrechten of kosten betaald zijn. Volg "
        "de betaalinstructies die {carrier} je stuurde, of gebruik de track-and-tracelink."
    ),
    "advice_held": (
        "Het pakket ligt bij een vestiging van {carrier}. Via de track-and-tracelink kun je "
        "{carrier} vragen het te bezorgen, of je haalt het daar op."
    ),
    "advice_delay": (
        "{carrier} meldt een vertraging. Je hoeft niets te doen; het pakket gaat zo snel "
        "mogelijk verder en we houden het in de gaten."
    ),
    "advice_pickup_missed": (
        "{carrier} heeft het pakket niet zoals gepland bij ons magazijn opgehaald; dat "
        "gebeurt naar verwachting de volgende werkdag."
    ),
    "advice_damaged": (
        "Het spijt me, {carrier} meldt dat het pakket beschadigd is. Antwoord hier en ons "
        "team stuurt je een vervanging of betaalt je terug."
    ),
    "advice_lost": (
        "Het spijt me, {carrier} meldt dat het pakket kwijt is. Antwoord hier en ons team "
        "stuurt je een vervanging of betaalt je terug."
    ),
    "advice_returned": (
        "Het pakket is onderweg terug naar ons. Antwoord hier en ons team regelt een nieuwe "
        "bezorging of een terugbetaling zodra het binnen is."
    ),
    "advice_label": (
        "{carrier} kon het verzendlabel niet verwerken. Antwoord hier en ons team controleert "
        "de bestelling en stuurt je een nieuwe trackingcode."
    ),
    "advice_tracking_error": (
        "De tracking van {carrier} wordt op dit moment niet bijgewerkt. Meestal is het "
        "pakket gewoon onderweg; kijk later nog eens via de track-and-tracelink."
    ),
    "advice_default": (
        "{carrier} meldt een probleem met de bezorging. Bekijk de track-and-tracelink voor "
        "instructies, of antwoord hier en ons team lost het op met {carrier}."
    ),
}

TEXTS: dict[Lang, dict[str, str]] = {
    "en": EN,
    "es": ES,
    "fr": FR,
    "de": DE,
    "it": IT,
    "pt": PT,
    "nl": NL,
}
