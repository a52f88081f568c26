from django.urls import path

from internationale.relay import feed_views, views

app_name = "relay"

urlpatterns = [
    path("networks/<slug:network>/relays/", views.relays, name="relays"),
    path("networks/<slug:network>/relays/new/", views.start_relay, name="new"),
    path("translate/", views.queue, name="queue"),
    path("relays/<int:relay>/", views.relay, name="relay"),
    path("relays/<int:relay>/feed-settings/", views.set_feed, name="set-feed"),
    path("relays/<int:relay>/dossier/", views.dossier, name="dossier"),
    path("relays/<int:relay>/dossier.pdf", views.dossier_pdf, name="dossier-pdf"),
    path("legs/<int:leg>/", views.leg, name="leg"),
    path("legs/<int:leg>/pass-on/", views.pass_on, name="pass-on"),
    path("reports/<int:report>/", views.report, name="report"),
    path("reports/<int:report>/audio.<str:kind>", views.report_audio, name="audio"),
    path("reports/<int:report>/machine/", views.machine_transcription, name="machine"),
    path(
        "reports/<int:report>/machine-translation/",
        views.machine_translation,
        name="machine-translation",
    ),
    path(
        "reports/<int:report>/transcripts/<str:language>/",
        views.transcript,
        name="transcript",
    ),
    path(
        "reports/<int:report>/transcripts/<str:language>/review/",
        views.review,
        name="review",
    ),
    path(
        "reports/<int:report>/transcripts/<str:language>.vtt",
        views.transcript_vtt,
        name="vtt",
    ),
    # Podcast feeds: public, and private behind a secret (the same views, with the secret).
    path("relays/<int:relay>/feed.xml", feed_views.feed, name="public-feed"),
    path("relays/<int:relay>/feed/<int:report>.mp3", feed_views.audio, name="public-audio"),
    path(
        "relays/<int:relay>/feed/<int:report>/<str:language>.vtt",
        feed_views.vtt,
        name="public-vtt",
    ),
    path(
        "relays/<int:relay>/feed/<int:report>/chapters.json",
        feed_views.chapters,
        name="public-chapters",
    ),
    path("relays/<int:relay>/private/<str:secret>/feed.xml", feed_views.feed, name="private-feed"),
    path(
        "relays/<int:relay>/private/<str:secret>/<int:report>.mp3",
        feed_views.audio,
        name="private-audio",
    ),
    path(
        "relays/<int:relay>/private/<str:secret>/<int:report>/<str:language>.vtt",
        feed_views.vtt,
        name="private-vtt",
    ),
    path(
        "relays/<int:relay>/private/<str:secret>/<int:report>/chapters.json",
        feed_views.chapters,
        name="private-chapters",
    ),
]
