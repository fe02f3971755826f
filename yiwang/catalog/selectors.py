"""Read-side queries shared by the portal, the workbench and the API."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from yiwang.common.errors import NotFound, ValidationError
from yiwang.orgs.models import Department, Role
from yiwang.orgs.services import departments_for
from yiwang.regions.models import Region

from .models import (
    GuideVersion,
    ItemType,
    Material,
    OnlineDepth,
    ServiceItem,
    Topic,
    VersionEvent,
    VersionStatus,
)


def published_items() -> QuerySet[ServiceItem]:
    """Items visible to the public, with what list pages show, in a fixed number of queries."""
    return (ServiceItem.objects.filter(published_version__isnull=False)
            .select_related("published_version", "department", "region"))


def implementations_of(item: ServiceItem) -> QuerySet[ServiceItem]:
    """The published items that implement the same service as ``item`` (同一基本编码和业务办理项,
    by the province, cities and districts), from the province down."""
    return (published_items().filter(basic_code=item.basic_code,
                                     handling_code__endswith=item.handling_code[-2:])
            .order_by("region__path", "department__code", "handling_code"))


def published_item_detail(item: ServiceItem) -> GuideVersion:
    return (GuideVersion.objects.select_related("item__department", "item__region")
            .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order")),
                              "faqs", "item__topics")
            .get(pk=item.published_version_id))


def parse_item_type(value: str | None) -> str | None:
    """An item-type filter as given by a user: empty means any type; an unknown code is refused."""
    if not value:
        return None
    if value not in ItemType.values:
        raise ValidationError(f"事项类型“{value}”无效", code="item.type_invalid")
    return value


def get_topic(slug: str) -> Topic:
    try:
        return Topic.objects.get(slug=slug)
    except Topic.DoesNotExist:
        raise NotFound(f"主题“{slug}”不存在", code="topic.not_found") from None


def filter_published_items(*, department_id: int | None = None, region: Region | None = None,
                           item_type: str | None = None, topic: Topic | None = None,
                           name: str | None = None) -> QuerySet[ServiceItem]:
    """Published items narrowed by the filters that the API list and the portal's browse pages
    share, in catalogue order. ``region`` includes everything below it."""
    items = published_items()
    if department_id:
        items = items.filter(department_id=department_id)
    if region is not None:
        items = items.filter(region__path__startswith=region.path)
    if item_type := parse_item_type(item_type):
        items = items.filter(item_type=item_type)
    if topic is not None:
        items = items.filter(topics=topic)
    if name:
        items = items.filter(published_version__name__icontains=name)
    return items.order_by("department__code", "handling_code")


def recently_published(limit: int = 8) -> list[ServiceItem]:
    return list(published_items().order_by("-published_version__published_at", "-pk")[:limit])


def catalogue_counts() -> dict[str, int]:
    """Figures for the home page, in one query: published items, those that can be applied for
    online (网上受理 or deeper), those with no visit at all (全程网办), departments serving them."""
    return published_items().aggregate(
        items=Count("pk"),
        online=Count("pk", filter=Q(published_version__online_depth__gte=OnlineDepth.ONLINE_ACCEPT)),
        zero_visit=Count("pk", filter=Q(published_version__visits=0)),
        departments=Count("department", distinct=True),
    )


_PUBLISHED_ITEMS = Q(items__published_version__isnull=False)


def topics_with_item_counts() -> QuerySet[Topic]:
    """Topics with ``item_count`` published items. An aggregating query drops Meta.ordering, so
    this one and the next repeat their model's order."""
    return (Topic.objects.annotate(item_count=Count("items", filter=_PUBLISHED_ITEMS))
            .order_by("kind", "order", "name"))


def departments_with_item_counts() -> QuerySet[Department]:
    return (Department.objects.select_related("region")
            .annotate(item_count=Count("items", filter=_PUBLISHED_ITEMS))
            .order_by("region__code", "code", "name"))


def get_department(pk: int) -> Department:
    try:
        return departments_with_item_counts().get(pk=pk)
    except Department.DoesNotExist:
        raise NotFound("该部门不存在", code="department.not_found") from None


def item_counts_by_region(regions) -> dict[str, int]:
    """Published items in each region and everything below it, keyed by region code. One grouped
    query; the sums over the region tree are done here because the tree is small."""
    per_path = list(ServiceItem.objects.filter(published_version__isnull=False)
                    .values_list("region__path").annotate(n=Count("pk")).order_by())
    return {r.code: sum(n for path, n in per_path if path.startswith(r.path)) for r in regions}


# --- Staff (workbench and staff API) read side -------------------------------------------------
# Staff see the items of the departments where they are catalogue editor or reviewer; everything
# else answers "not found", so one department cannot even learn another's drafts exist.

STAFF_ROLES = (Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER)
# Who counts as an author of a version for the four-eyes rule; mirrors review.authors_of,
# which stays the rule that approve_version enforces (a test keeps the two in step).
AUTHORING_ACTIONS = (VersionEvent.Action.CREATED, VersionEvent.Action.EDITED,
                     VersionEvent.Action.IMPORTED)


def staff_departments(user, *roles: str) -> QuerySet[Department]:
    """Departments where ``user`` is catalogue staff (editor or reviewer unless ``roles`` say)."""
    return departments_for(user, *(roles or STAFF_ROLES))


def staff_items(user) -> QuerySet[ServiceItem]:
    """Items the user may see in the workbench, each annotated with its latest version's id,
    number, status and name (``latest_*``), in one query."""
    latest = GuideVersion.objects.filter(item=OuterRef("pk")).order_by("-number")
    return (ServiceItem.objects.filter(department__in=staff_departments(user))
            .select_related("department", "published_version")
            .annotate(latest_version_id=Subquery(latest.values("pk")[:1]),
                      latest_number=Subquery(latest.values("number")[:1]),
                      latest_status=Subquery(latest.values("status")[:1]),
                      latest_name=Subquery(latest.values("name")[:1])))


def filter_staff_items(user, *, q: str = "", status: str = "", item_type: str = "",
                       department_id: int | None = None) -> QuerySet[ServiceItem]:
    """The workbench item list: search by name or any code, filter by the latest version's
    status, item type and department; newest first."""
    items = staff_items(user)
    if q := (q or "").strip():
        items = items.filter(Q(latest_name__icontains=q) | Q(handling_code__startswith=q)
                             | Q(implementation_code__startswith=q) | Q(basic_code__startswith=q))
    if status:
        if status not in VersionStatus.values:
            raise ValidationError(f"版本状态“{status}”无效", code="version.status_invalid")
        items = items.filter(latest_status=status)
    if item_type := parse_item_type(item_type):
        items = items.filter(item_type=item_type)
    if department_id:
        items = items.filter(department_id=department_id)
    return items.order_by("-pk")


def staff_item(user, pk: int) -> ServiceItem:
    try:
        return staff_items(user).prefetch_related("topics").get(pk=pk)
    except ServiceItem.DoesNotExist:
        raise NotFound("事项不存在或不属于您所在的部门", code="item.not_found") from None


def with_authored_by(versions: QuerySet[GuideVersion], user) -> QuerySet[GuideVersion]:
    """Annotate ``authored_by_me``: whether ``user`` wrote the version and so may not approve it."""
    wrote = Exists(VersionEvent.objects.filter(version=OuterRef("pk"), actor_id=user.pk,
                                               action__in=AUTHORING_ACTIONS))
    return versions.annotate(authored_by_me=Case(
        When(Q(created_by_id=user.pk) | Q(wrote), then=Value(True)),
        default=Value(False), output_field=BooleanField()))


def staff_versions(user) -> QuerySet[GuideVersion]:
    return (GuideVersion.objects.filter(item__department__in=staff_departments(user))
            .select_related("item__department", "created_by"))


def staff_version(user, pk: int) -> GuideVersion:
    try:
        return (with_authored_by(staff_versions(user), user)
                .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order")))
                .get(pk=pk))
    except GuideVersion.DoesNotExist:
        raise NotFound("版本不存在或不属于您所在的部门", code="version.not_found") from None


def review_queue(user) -> QuerySet[GuideVersion]:
    """Versions waiting for a reviewer of the user's departments: submitted (to approve or send
    back) and approved (to publish), oldest first."""
    reviewing = staff_departments(user, Role.CATALOG_REVIEWER)
    versions = (GuideVersion.objects
                .filter(item__department__in=reviewing,
                        status__in=[VersionStatus.SUBMITTED, VersionStatus.APPROVED])
                .select_related("item__department", "created_by"))
    return with_authored_by(versions, user).order_by("updated_at", "pk")


def workbench_counts(user) -> dict[str, int]:
    """The figures on the staff home page."""
    queue = review_queue(user)
    return {
        "my_drafts": GuideVersion.objects.filter(
            status=VersionStatus.DRAFT, created_by_id=user.pk,
            item__department__in=staff_departments(user, Role.CATALOG_EDITOR)).count(),
        "awaiting_my_review": queue.filter(status=VersionStatus.SUBMITTED,
                                           authored_by_me=False).count(),
        "awaiting_publication": queue.filter(status=VersionStatus.APPROVED).count(),
        "published": staff_items(user).filter(published_version__isnull=False).count(),
    }


def item_history(item: ServiceItem) -> QuerySet[GuideVersion]:
    """Every version of an item, newest first, with its events and their actors."""
    return (item.versions.select_related("created_by")
            .prefetch_related(Prefetch("events",
                                       queryset=VersionEvent.objects.select_related("actor")))
            .order_by("-number"))


def version_of_item(item: ServiceItem, pk) -> GuideVersion:
    """A version of ``item`` with its materials, for the diff; another item's version is unknown."""
    try:
        return (item.versions.prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("order"))).get(pk=pk))
    except (GuideVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound("该事项没有这个版本", code="version.not_found") from None
