from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    app,
    auth,
    design_teams,
    goal_editing,
    goals,
    lessons,
    logbook,
    photos,
    places,
    planboard,
    pupil,
    pupil_data,
    roster,
    school_year,
    second_factor,
    staff,
    studies,
    teacher,
    voice,
)

app_name = "frontend"

urlpatterns = [
    path("", auth.start, name="start"),
    path("sw.js", app.service_worker, name="service-worker"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("home/", auth.home, name="home"),
    path("login/", auth.TeacherLoginView.as_view(), name="teacher-login"),
    path("login/tweede-stap/", second_factor.second_factor, name="second-factor"),
    path("login/herstelcodes/", second_factor.recovery_codes, name="recovery-codes"),
    path("tweede-stap/", second_factor.own_setup, name="own-second-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("klas/", auth.class_code, name="class-code"),
    path("klas/<str:code>/", auth.class_grid, name="class-grid"),
    # No URL of a pupil's login holds their login token or tells who logs in (it would
    # be in every access log): the tile posts the token, the pad is the class's.
    path("klas/<str:code>/kies/", auth.choose_pupil, name="choose-pupil"),
    path("klas/<str:code>/code/", auth.picture_code, name="picture-code"),
    path("klas/<str:code>/foto/<str:key>", auth.class_photo, name="class-photo"),
    path("klas/<str:code>/<str:token>/", auth.old_login_card, name="old-login-card"),
    path("leerling/", pupil.home, name="pupil-home"),
    path("leerling/wissel/", pupil.switch, name="switch-pupil"),
    path("leerling/doelenboekje/", goals.pupil_booklet_page, name="pupil-booklet"),
    path(
        "leerling/doelenboekje/<int:block_id>/",
        goals.pupil_booklet_page,
        name="pupil-booklet-block",
    ),
    path("leerling/fotos/", photos.pupil_photos, name="pupil-photos"),
    path("leerling/planbord/", planboard.pupil_board, name="pupil-planboard"),
    path(
        "leerkracht/groep/<int:group_id>/planbord/",
        planboard.teacher_board,
        name="teacher-planboard",
    ),
    path(
        "leerkracht/groep/<int:group_id>/planbord/wijzig/",
        planboard.teacher_board_change,
        name="teacher-planboard-change",
    ),
    path("leerkracht/groep/<int:group_id>/werkplekken/", places.places, name="places"),
    path("leerkracht/werkplek/<int:place_id>/bewerken/", places.edit_place, name="place-edit"),
    path(
        "leerkracht/groep/<int:group_id>/activiteit/nieuw/",
        places.new_activity,
        name="activity-new",
    ),
    path(
        "leerkracht/activiteit/<int:activity_id>/bewerken/",
        places.edit_activity,
        name="activity-edit",
    ),
    path("leerkracht/planbord/<int:board_id>/digibord/", planboard.digibord, name="digibord"),
    path("planbord/foto/<int:photo_id>/", planboard.plan_photo, name="planboard-photo"),
    path(
        "planbord/foto/<int:photo_id>/klein/",
        planboard.plan_photo_thumbnail,
        name="planboard-photo-thumbnail",
    ),
    path(
        "planbord/hoek/<int:activity_id>/foto/",
        planboard.corner_photo,
        name="planboard-corner-photo",
    ),
    path(
        "leerkracht/planbord/hoek/<int:activity_id>/foto/",
        planboard.corner_photo_change,
        name="planboard-corner-photo-change",
    ),
    path(
        "leerkracht/leerling/<int:pupil_id>/planbord/",
        planboard.pupil_week,
        name="pupil-planboard-week",
    ),
    path("leerling/logboek/<int:lesson_id>/", logbook.pupil_logbook, name="pupil-logbook"),
    path("leerkracht/les/<int:lesson_id>/", logbook.lesson_page, name="lesson"),
    path(
        "leerkracht/les/<int:lesson_id>/digibord/",
        logbook.lesson_digibord,
        name="lesson-digibord",
    ),
    path(
        "leerkracht/les/<int:lesson_id>/instellingen/",
        logbook.lesson_settings,
        name="lesson-settings",
    ),
    path("leerkracht/groep/<int:group_id>/les/nieuw/", lessons.new_lesson, name="lesson-new"),
    path("leerkracht/les/<int:lesson_id>/bewerken/", lessons.edit_lesson, name="lesson-edit"),
    path(
        "leerkracht/les/<int:lesson_id>/verwijderen/", lessons.delete_lesson, name="lesson-delete"
    ),
    path(
        "leerkracht/les/<int:lesson_id>/<str:command>/",
        logbook.lesson_control,
        name="lesson-control",
    ),
    path("foto/<int:photo_id>/", photos.photo, name="photo"),
    path("foto/<int:photo_id>/klein/", photos.photo_thumbnail, name="photo-thumbnail"),
    path("leerkracht/leerling/<int:pupil_id>/rekengesprek/", photos.add_note, name="add-note"),
    path("leerkracht/groep/<int:group_id>/doelen/", goals.group_blocks, name="group-blocks"),
    path("leerkracht/blok/<int:block_id>/", goals.block_overview_page, name="block-overview"),
    path("leerkracht/groep/<int:group_id>/blok/nieuw/", goal_editing.new_block, name="block-new"),
    path(
        "leerkracht/groep/<int:group_id>/blok/hergebruik/",
        goal_editing.reuse_block,
        name="block-reuse",
    ),
    path(
        "leerkracht/groep/<int:group_id>/doelen/importeren/",
        goal_editing.import_goals,
        name="goals-import",
    ),
    path("leerkracht/blok/<int:block_id>/doelen/", goal_editing.block_goals, name="block-goals"),
    path("leerkracht/blok/<int:block_id>/doel/nieuw/", goal_editing.new_goal, name="goal-new"),
    path("leerkracht/doel/<int:goal_id>/bewerken/", goal_editing.edit_goal, name="goal-edit"),
    path(
        "leerkracht/leerling/<int:pupil_id>/doelenboekje/",
        goals.pupil_booklet_for_teacher,
        name="teacher-pupil-booklet",
    ),
    path(
        "leerkracht/leerling/<int:pupil_id>/doel/<int:goal_id>/beoordeel/",
        goals.assess,
        name="assess",
    ),
    path("leerkracht/", teacher.home, name="teacher-home"),
    path(
        "leerkracht/school/<int:school_id>/leerlingen/importeren/",
        roster.import_pupils,
        name="import-pupils",
    ),
    path(
        "leerkracht/school/<int:school_id>/leerkrachten/importeren/",
        staff.import_teachers,
        name="import-teachers",
    ),
    path(
        "leerkracht/school/<int:school_id>/nieuw-schooljaar/",
        school_year.turn,
        name="school-year",
    ),
    path(
        "leerkracht/school/<int:school_id>/tweestaps/",
        second_factor.school_staff,
        name="second-factor-staff",
    ),
    path(
        "wachtwoord/<uidb64>/<token>/",
        staff.SetPasswordView.as_view(),
        name="set-password",
    ),
    path("leerkracht/groep/<int:group_id>/", teacher.group, name="group"),
    path("leerkracht/groep/<int:group_id>/nieuw/", voice.class_voice_page, name="class-voice"),
    path("leerkracht/groep/<int:group_id>/nieuw/reageer/", voice.react, name="class-voice-react"),
    path("leerkracht/groep/<int:group_id>/kaarten/", teacher.login_cards, name="login-cards"),
    path("leerkracht/groep/<int:group_id>/qr.svg", teacher.group_qr, name="group-qr"),
    path(
        "leerkracht/groep/<int:group_id>/nieuwe-klascode/",
        teacher.new_class_code,
        name="group-new-code",
    ),
    path("leerkracht/leerling/<int:pupil_id>/foto", teacher.pupil_photo, name="pupil-photo"),
    path(
        "leerkracht/leerling/<int:pupil_id>/ontgrendel/", teacher.unlock_pupil, name="pupil-unlock"
    ),
    path(
        "leerkracht/leerling/<int:pupil_id>/nieuwe-code/",
        teacher.new_picture_code,
        name="pupil-new-code",
    ),
    # Research and design teams
    path("onderzoek/", studies.home, name="research-home"),
    path("onderzoek/studie/nieuw/", studies.study_form, name="study-new"),
    path("onderzoek/studie/<int:study_id>/", studies.study_page, name="study"),
    path("onderzoek/studie/<int:study_id>/bewerken/", studies.study_form, name="study-edit"),
    path(
        "onderzoek/studie/<int:study_id>/toestemming/",
        studies.study_consent,
        name="study-consent",
    ),
    path(
        "onderzoek/studie/<int:study_id>/export/<str:fmt>/",
        studies.study_export,
        name="study-export",
    ),
    path("ontwerpteam/nieuw/", design_teams.intervention_form, name="intervention-new"),
    path("ontwerpteam/<int:intervention_id>/", design_teams.intervention_page, name="intervention"),
    path(
        "ontwerpteam/<int:intervention_id>/bewerken/",
        design_teams.intervention_form,
        name="intervention-edit",
    ),
    path(
        "ontwerpteam/<int:intervention_id>/observatie/",
        design_teams.intervention_observation,
        name="intervention-observation",
    ),
    path(
        "ontwerpteam/<int:intervention_id>/les/",
        design_teams.intervention_link,
        name="intervention-link",
    ),
    path(
        "ontwerpteam/koppeling/<int:link_id>/verwijderen/",
        design_teams.intervention_unlink,
        name="intervention-unlink",
    ),
    path(
        "leerkracht/leerling/<int:pupil_id>/gegevens/",
        pupil_data.pupil_data_page,
        name="pupil-data",
    ),
    path(
        "leerkracht/leerling/<int:pupil_id>/gegevens/download/",
        pupil_data.pupil_data_download,
        name="pupil-data-download",
    ),
    path(
        "leerkracht/leerling/<int:pupil_id>/gegevens/wissen/",
        pupil_data.pupil_erase,
        name="pupil-erase",
    ),
]
