"""The newsroom's two roles and the approval workflow between them, defined once.

Reporters write drafts and submit them; editors approve (which publishes) or ask for changes.
Wagtail's first migration already made an add/edit group ("Editors" — really reporters) and a
publishing group ("Moderators" — really editors) with a "Moderators approval" workflow on the
root page. Akhbar renames those to newsroom terms instead of adding look-alikes, so the admin
shows exactly two groups and one workflow.

Group and workflow names are database rows, not UI strings, so gettext cannot translate them
per user: they are written in the site's language (Arabic by default) when the database is
created. `NewsroomRole` remembers which group is which, so they may be renamed later.

`apply_roles` takes an app registry so the data migration can run it on historical models.
"""

REPORTER = "reporter"
EDITOR = "editor"

NAMES = {
    "ar": {
        REPORTER: "المراسلون",
        EDITOR: "المحررون",
        "task": "موافقة المحررين",
        "workflow": "مراجعة التحرير قبل النشر",
    },
    "en": {
        REPORTER: "Reporters",
        EDITOR: "Editors",
        "task": "Editors' approval",
        "workflow": "Editorial review before publishing",
    },
}

# Wagtail's own defaults that Akhbar takes over (see the module docstring).
WAGTAIL_GROUP_FOR_ROLE = {REPORTER: "Editors", EDITOR: "Moderators"}

# Permissions on the whole page tree (granted on the root page).
PAGE_PERMISSIONS = {
    REPORTER: ["add_page", "change_page"],
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# Images and documents (granted on the root collection). Reporters upload and may edit what they
# uploaded themselves (Wagtail's ownership rule); editors manage everyone's.
COLLECTION_PERMISSIONS = {
    REPORTER: [("wagtailimages", "image", ["add", "choose"]), ("wagtaildocs", "document", ["add", "choose"])],
    EDITOR: [
        ("wagtailimages", "image", ["add", "change", "delete", "choose"]),
        ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
    ],
}
# Editors moderate readers' comments: the queue, its bulk actions and bans.
COMMENT_MODERATION = [("comments", "comment", ["change", "delete", "view"]), ("comments", "ban", ["add", "change", "delete", "view"])]
# Model permissions: the admin itself, authors (editors manage them), comment moderation, and the
# image/document model permissions mirrored from the collection ones so both views agree.
MODEL_PERMISSIONS = {
    REPORTER: [("wagtailadmin", "admin", ["access"]), ("news", "author", ["view"])],
    EDITOR: [("wagtailadmin", "admin", ["access"]), ("news", "author", ["add", "change", "delete", "view"])]
    + COMMENT_MODERATION,
}
for _role, _grants in COLLECTION_PERMISSIONS.items():
    MODEL_PERMISSIONS[_role] = MODEL_PERMISSIONS[_role] + _grants


def language_of(language_code: str) -> str:
    return "ar" if language_code.lower().startswith("ar") else "en"


def apply_roles(apps, language_code: str) -> None:
    """Create or adopt the two groups, give them exactly their permissions, wire the workflow."""
    Group = apps.get_model("auth", "Group")
    NewsroomRole = apps.get_model("newsroom", "NewsroomRole")
    names = NAMES[language_of(language_code)]

    groups = {}
    for role in (REPORTER, EDITOR):  # reporters first: Wagtail's "Editors" must be renamed before reuse
        existing = NewsroomRole.objects.filter(role=role).select_related("group").first()
        if existing:
            groups[role] = existing.group
            continue
        group = Group.objects.filter(name=WAGTAIL_GROUP_FOR_ROLE[role], newsroom_role__isnull=True).first()
        if group is None or Group.objects.filter(name=names[role]).exclude(pk=group.pk).exists():
            group, _ = Group.objects.get_or_create(name=names[role])
        else:
            group.name = names[role]
            group.save(update_fields=["name"])
        NewsroomRole.objects.create(role=role, group=group)
        groups[role] = group

    for role, group in groups.items():
        _grant_model_permissions(apps, group, MODEL_PERMISSIONS[role])
        _grant_page_permissions(apps, group, PAGE_PERMISSIONS[role])
        _grant_collection_permissions(apps, group, COLLECTION_PERMISSIONS[role])
    _wire_workflow(apps, groups[EDITOR], names)


def grant_to_role(apps, role: str, grants) -> None:
    """Add model permissions to a role's group, keeping whatever else it was given since."""
    NewsroomRole = apps.get_model("newsroom", "NewsroomRole")
    link = NewsroomRole.objects.filter(role=role).select_related("group").first()
    if link is not None:
        link.group.permissions.add(*[_permission(apps, app, model, f"{action}_{model}") for app, model, actions in grants for action in actions])


def _permission(apps, app_label: str, model: str, codename: str):
    """Permission rows may not exist yet on a fresh database (Django adds them after migrating)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    action = codename.split("_", 1)[0]
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {action} {model}"}
    )
    return permission


def _grant_model_permissions(apps, group, grants) -> None:
    wanted = [_permission(apps, app, model, f"{action}_{model}") for app, model, actions in grants for action in actions]
    group.permissions.set(wanted)


def _grant_page_permissions(apps, group, codenames) -> None:
    root = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
    wanted = {_permission(apps, "wagtailcore", "page", codename).pk for codename in codenames}
    _grant_on(apps.get_model("wagtailcore", "GroupPagePermission"), group, "page", root, wanted)


def _grant_collection_permissions(apps, group, grants) -> None:
    root = apps.get_model("wagtailcore", "Collection").objects.get(depth=1)
    wanted = {
        _permission(apps, app, model, f"{action}_{model}").pk for app, model, actions in grants for action in actions
    }
    _grant_on(apps.get_model("wagtailcore", "GroupCollectionPermission"), group, "collection", root, wanted)


def _grant_on(link_model, group, target_field: str, target, permission_ids: set[int]) -> None:
    """Make `group`'s rows in `link_model` exactly `permission_ids` on `target` (a page or collection)."""
    link_model.objects.filter(group=group).exclude(**{target_field: target, "permission_id__in": permission_ids}).delete()
    for permission_id in permission_ids:
        link_model.objects.get_or_create(group=group, permission_id=permission_id, **{target_field: target})


def _wire_workflow(apps, editors, names) -> None:
    """One approval task (editors) in one workflow on the root page, so it covers every page."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")
    root = Page.objects.get(depth=1)

    task = GroupApprovalTask.objects.filter(groups=editors, active=True).order_by("pk").first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=names["task"], content_type=content_type, active=True)
    task.name = names["task"]
    task.save(update_fields=["name"])
    task.groups.set([editors])

    workflow_task = WorkflowTask.objects.filter(task_id=task.pk, workflow__active=True).select_related("workflow").first()
    if workflow_task is None:
        workflow = Workflow.objects.create(name=names["workflow"], active=True)
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    else:
        workflow = workflow_task.workflow
        workflow.name = names["workflow"]
        workflow.save(update_fields=["name"])

    assignment = WorkflowPage.objects.filter(page=root).first()
    if assignment is None:
        WorkflowPage.objects.create(page=root, workflow=workflow)
