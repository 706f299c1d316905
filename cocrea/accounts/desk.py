"""The point of contact's desk shows the things of the members they run, and nothing of the
others (ADR 10): each model's administration names how its rows lead to their OGP member
(`member_path`, a lookup such as "plan__member"; "pk" for the member itself) and how the rows
its forms offer do (`choice_paths`, per field). Administrators (superusers) and staff without a
point-of-contact role see everything, as Django's own permissions decide for them; the services
check the rule on every save whatever the form offered."""

from typing import Any

from django.db.models import Field, QuerySet
from django.http import HttpRequest

from cocrea.accounts.models import RoleGrant
from cocrea.accounts.rules import members_where


def desk_members(request: HttpRequest) -> set[int] | None:
    """The members whose things this person's desk shows; None: every member."""
    user: Any = request.user
    if getattr(user, "is_superuser", False):
        return None
    runs = members_where(user, RoleGrant.Role.POINT_OF_CONTACT)
    if not runs and getattr(user, "is_staff", False):
        return None
    return runs


def _scoped(queryset: QuerySet[Any], path: str, members: set[int]) -> QuerySet[Any]:
    return queryset.filter(**{f"{path}__in": members})


class MemberScoped:
    """Mixed into a ModelAdmin or an inline, before Django's class."""

    member_path: str = "member"
    choice_paths: dict[str, str] = {}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        members = desk_members(request)
        return queryset if members is None else _scoped(queryset, self.member_path, members)

    def _limit(self, db_field: Field, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        path = self.choice_paths.get(db_field.name)
        members = desk_members(request)
        if path is None or members is None:
            return
        model: Any = db_field.related_model
        queryset = kwargs.get("queryset") or model._default_manager.all()
        kwargs["queryset"] = _scoped(queryset, path, members)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
