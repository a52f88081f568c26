from django.urls import path

from internationale.archive import views

app_name = "archive"

urlpatterns = [
    path("networks/<slug:network>/archive/", views.home, name="home"),
    path("networks/<slug:network>/archive/search/", views.search_page, name="search"),
    path("networks/<slug:network>/archive/entities/", views.entities, name="entities"),
    path(
        "networks/<slug:network>/archive/testimonies/new/",
        views.new_testimony,
        name="new-testimony",
    ),
    path("networks/<slug:network>/archive/wages/new/", views.new_wage, name="new-wage"),
    path("networks/<slug:network>/archive/links/new/", views.new_link, name="new-link"),
    path("networks/<slug:network>/archive/tactics/new/", views.new_tactic, name="new-tactic"),
    path("networks/<slug:network>/archive/import/", views.import_page, name="import"),
    path("networks/<slug:network>/archive/export.ftm.json", views.export, name="export"),
    path("networks/<slug:network>/archive/resolution/", views.resolution_page, name="resolution"),
    path("networks/<slug:network>/archive/resolution/judge/", views.judge, name="judge"),
    path(
        "networks/<slug:network>/archive/cross-reference/",
        views.cross_reference,
        name="cross-reference",
    ),
    path("networks/<slug:network>/archive/map/", views.network_map, name="map"),
    path("networks/<slug:network>/archive/rates/", views.rates, name="rates"),
    path("archive/entities/<int:entity>/", views.entity, name="entity"),
    path("archive/groups/<int:entity>/", views.group, name="group"),
    path("archive/testimonies/<int:testimony>/", views.testimony, name="testimony"),
    path("archive/testimonies/<int:testimony>/edit/", views.edit_testimony, name="edit-testimony"),
    path(
        "archive/testimonies/<int:testimony>/audio.<str:kind>",
        views.testimony_audio,
        name="testimony-audio",
    ),
    path("archive/tactics/<int:tactic>/", views.tactic, name="tactic"),
    path("archive/found/<str:kind>/<int:object_id>/", views.hit, name="hit"),
    path("archive/<str:kind>/<int:item>/translate/", views.translate, name="translate"),
    path(
        "archive/translations/<int:translation>/review/",
        views.review_translation,
        name="review-translation",
    ),
    path("archive/judgements/<int:judgement>/withdraw/", views.withdraw, name="withdraw"),
]
