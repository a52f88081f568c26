from django.urls import path

from internationale.treasury import draw_views, views

app_name = "treasury"

urlpatterns = [
    path("networks/<slug:network>/open-fund/", views.open_fund, name="open-fund"),
    path("funds/<slug:fund>/", views.fund, name="fund"),
    path("funds/<slug:fund>/summary/", views.summary, name="summary"),
    path("funds/<slug:fund>/ledger/", views.ledger, name="ledger"),
    path("funds/<slug:fund>/ledger.csv", views.export_csv, name="export-csv"),
    path("funds/<slug:fund>/ledger.beancount", views.export_beancount, name="export-beancount"),
    path("funds/<slug:fund>/pledges/new/", views.new_pledge, name="new-pledge"),
    path("pledges/<int:pledge>/cancel/", views.cancel_pledge, name="cancel-pledge"),
    path("funds/<slug:fund>/contributions/new/", views.new_contribution, name="new-contribution"),
    path("funds/<slug:fund>/others/new/", views.new_other, name="new-other"),
    path("funds/<slug:fund>/exchange/", views.exchange, name="exchange"),
    path("funds/<slug:fund>/custody/", views.custody, name="custody"),
    path("transfers/<int:transfer>/correct/", views.correct, name="correct"),
    path("funds/<slug:fund>/rules/", views.rules, name="rules"),
    path("funds/<slug:fund>/handover/", views.handover, name="handover"),
    path("proposals/<int:proposal>/", views.proposal, name="proposal"),
    path("funds/<slug:fund>/draws/new/", draw_views.new_draw, name="new-draw"),
    path("draws/<int:draw>/", draw_views.draw, name="draw"),
    path("draws/<int:draw>/vote/", draw_views.vote, name="vote"),
    path("draws/<int:draw>/pay/", draw_views.pay, name="pay"),
    path("draws/<int:draw>/release/", draw_views.release, name="release"),
    path("draws/<int:draw>/report/", draw_views.report, name="report"),
    path("draws/<int:draw>/resubmit/", draw_views.resubmit, name="resubmit"),
    path("draws/<int:draw>/withdraw/", draw_views.withdraw, name="withdraw"),
]
