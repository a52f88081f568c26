from django.urls import path

from internationale.network import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/second-factor/", views.login_second_factor, name="login-second-factor"),
    path("logout/", views.logout, name="logout"),
    path("language/", views.set_language, name="language"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password, name="password"),
    path("account/second-factor/", views.second_factor, name="second-factor"),
    path("account/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:apitoken>/revoke/", views.revoke_token, name="revoke-token"),
    path("networks/<slug:network>/", views.network, name="network"),
    path("networks/<slug:network>/members/", views.network_members, name="network-members"),
    path("networks/<slug:network>/invite/", views.invite_organization, name="invite-organization"),
    path("organizations/<slug:organization>/", views.organization, name="organization"),
    path(
        "organizations/<slug:organization>/edit/", views.edit_organization, name="edit-organization"
    ),
    path("organizations/<slug:organization>/invite/", views.invite_person, name="invite-person"),
    path("organizations/<slug:organization>/notices/", views.post_notice, name="post-notice"),
    path("organizations/<slug:organization>/circles/new/", views.new_circle, name="new-circle"),
    path(
        "organizations/<slug:organization>/members/<int:membership>/",
        views.edit_membership,
        name="edit-membership",
    ),
    path("circles/<int:circle>/", views.circle, name="circle"),
    path("notices/<int:notice>/", views.notice, name="notice"),
    path("notices/<int:notice>/delete/", views.delete_notice, name="delete-notice"),
    path("invitations/<int:invitation>/revoke/", views.revoke_invitation, name="revoke-invitation"),
    path("join/<str:token>/", views.invitation, name="invitation"),
    path("reset/<str:token>/", views.account_reset, name="account-reset"),
]
