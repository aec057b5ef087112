"""Thin views: parse, call a selector or service, shape the answer."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from rota_core.api.base import RotaAPIView, RotaViewSetMixin
from rota_core.api.fields import utc_iso
from rota_core.api.negotiation import FormatWinsNegotiation
from rota_core.api.permissions import (
    ModelChangePermission,
    OwnPersonOrModelPerms,
    SignedInReadModelPermsWrite,
)
from rota_core.api.serializers import CalendarTokenSerializer
from rota_core.models import Person
from rota_core.selectors import person_for_user

from ..models import Override, Rota, Shift, Swap
from ..selectors import (
    oncall_at,
    person_segments,
    rota_segments,
    rota_stats,
    rotas_for_api,
    rotas_now,
    rotas_segments,
)
from ..services import (
    override_delete,
    rota_advance,
    rota_delete,
    rota_rotate_calendar_token,
    swap_cancel,
    swap_take,
)
from . import serializers as s
from .filters import OverrideFilter, RotaFilter, ShiftFilter, SwapFilter
from .renderers import CSVRenderer

WINDOW_PARAMS = [
    OpenApiParameter("start", type=str, description="ISO 8601 instant (naive means UTC)"),
    OpenApiParameter("end", type=str, description="ISO 8601 instant; at most 366 days after start"),
]


def _window(request, *, default_span: timedelta, default_past: bool = False) -> dict:
    params = s.WindowSerializer(
        data=request.query_params, default_span=default_span, default_past=default_past
    )
    params.is_valid(raise_exception=True)
    return params.validated_data


def _names(ids) -> dict[int, str]:
    return dict(Person.objects.filter(id__in={i for i in ids if i}).values_list("id", "name"))


class RotaViewSet(RotaViewSetMixin, viewsets.ModelViewSet):
    """Rotas with their members in order; reads add who is on duty now and next."""

    serializer_class = s.RotaSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [SignedInReadModelPermsWrite]
    filterset_class = RotaFilter
    queryset = Rota.objects.all()

    def get_queryset(self):
        return rotas_for_api()

    def list(self, request, *args, **kwargs):
        """Rotas, each with who is on duty now and who is next."""
        # current/next of the whole page at once: a constant number of queries.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rotas = list(queryset) if page is None else page
        context = self.get_serializer_context()
        context["rotas_now"] = rotas_now(rotas=rotas)
        data = self.get_serializer_class()(rotas, many=True, context=context).data
        return Response(data) if page is None else self.get_paginated_response(data)

    def perform_destroy(self, instance: Rota) -> None:
        rota_delete(rota=instance)

    # Not a list of rotas: no pagination, and the rota filters must not hide the rota (404).
    @extend_schema(parameters=WINDOW_PARAMS, responses=s.SegmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def schedule(self, request, pk=None):
        """Who is on duty over the window: stored history before now, projection after."""
        rota = self.get_object()
        window = _window(request, default_span=timedelta(days=30))
        segments = rota_segments(rota=rota, start=window["start"], end=window["end"])
        names = _names(seg.person for seg in segments)
        return Response([s.segment_data(seg, names) for seg in segments])

    @extend_schema(request=None, responses=s.RotaSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelChangePermission])
    def advance(self, request, pk=None):
        """Manual handoff: the current shift ends now."""
        rota = rota_advance(rota=self.get_object())
        return Response(self.get_serializer(rotas_for_api().get(pk=rota.pk)).data)

    @extend_schema(request=None, responses={201: CalendarTokenSerializer})
    @action(
        detail=True, methods=["post"], url_path="calendar-token",
        permission_classes=[ModelChangePermission],
    )  # fmt: skip
    def calendar_token(self, request, pk=None):
        """A new calendar token for the rota: the old feed URL stops working (404)."""
        token = rota_rotate_calendar_token(rota=self.get_object())
        url = request.build_absolute_uri(reverse("rota-calendar-feed", kwargs={"token": token}))
        return Response(
            {"calendar_token": token, "calendar_url": url}, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=WINDOW_PARAMS,
        responses={
            (200, "application/json"): s.StatsRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    @action(
        detail=True, methods=["get"], renderer_classes=[JSONRenderer, CSVRenderer],
        content_negotiation_class=FormatWinsNegotiation,
        pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def stats(self, request, pk=None, format=None):
        """Per person over the window (default the last 30 days): shifts taken, hours on
        duty (overrides count for the coverer), times passed over. ``?format=csv`` for CSV
        (whatever the Accept header says), as a download named after the rota and window."""
        rota = self.get_object()
        window = _window(request, default_span=timedelta(days=30), default_past=True)
        rows = rota_stats(rota=rota, start=window["start"], end=window["end"])
        names = _names(row.person_id for row in rows)
        response = Response(
            [
                {
                    "person": s.person_ref(row.person_id, names),
                    "shifts": row.shifts,
                    "hours": row.hours,
                    "passed_over": row.passed_over,
                }
                for row in rows
            ]
        )
        if request.accepted_renderer.format == CSVRenderer.format:
            name = f"{rota.slug}-stats-{window['start']:%Y%m%d}-{window['end']:%Y%m%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ShiftViewSet(RotaViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Stored shifts (history), newest first; filter by rota, person and overlap."""

    serializer_class = s.ShiftSerializer
    permission_classes = [SignedInReadModelPermsWrite]
    filterset_class = ShiftFilter
    queryset = Shift.objects.select_related("person").order_by("-starts_at", "id")


class OverrideViewSet(
    RotaViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Overrides: someone covers an interval of a rota. Overlapping ones on a rota and ones
    ending in the past are refused (400); to change one, delete it and add another."""

    serializer_class = s.OverrideSerializer
    permission_classes = [SignedInReadModelPermsWrite]
    filterset_class = OverrideFilter
    queryset = Override.objects.select_related("person").order_by("starts_at", "id")

    def perform_destroy(self, instance: Override) -> None:
        override_delete(override=instance)


class SwapPermission(OwnPersonOrModelPerms):
    """A linked user requests and cancels their own person's swaps; for anyone else, adding
    needs ``add_swap`` and cancelling (DELETE) ``change_swap``."""

    person_field = "requester"
    perms_map = {
        **OwnPersonOrModelPerms.perms_map,
        "DELETE": ["%(app_label)s.change_%(model_name)s"],
    }


class SwapViewSet(
    RotaViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Swap (cover) requests. A taken swap is applied when the schedule is read: inside its
    window, wherever the requester holds the rota, the taker does (``source: swap``).
    DELETE cancels (the row stays, ``status: cancelled``; a taken swap gives the duty back)."""

    serializer_class = s.SwapSerializer
    permission_classes = [SwapPermission]
    person_field = "requester"
    filterset_class = SwapFilter
    queryset = Swap.objects.select_related("requester", "taker").order_by("starts_at", "id")

    def get_queryset(self):
        return self.queryset.with_status(timezone.now())

    @extend_schema(responses={200: s.SwapSerializer})
    def destroy(self, request, *args, **kwargs):
        """Cancel the swap: its requester's linked user, or a user with ``change_swap``."""
        swap = swap_cancel(swap=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=swap.pk)).data)

    @extend_schema(request=s.SwapTakeSerializer, responses={200: s.SwapSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def take(self, request, pk=None):
        """Take the open swap: for yourself (your linked person, an active member of the rota
        other than the requester, available over the whole window), or with ``change_swap``
        for the ``person`` named. 409 when it is no longer open (taken, cancelled, expired)."""
        swap = self.get_object()
        params = s.SwapTakeSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        own = person_for_user(user=request.user)
        taker = params.validated_data.get("person") or own
        may_name = request.user.has_perm("rota_scheduling.change_swap")
        if not may_name and (own is None or taker != own):
            raise PermissionDenied(
                "You may take a swap for your own linked person; for someone else it needs "
                "the change permission."
            )
        if taker is None:
            raise ValidationError({"person": ["Name the person who takes the swap."]})
        swap = swap_take(swap=swap, taker=taker)
        return Response(self.get_serializer(self.get_queryset().get(pk=swap.pk)).data)


class OnCallView(RotaAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("at", type=str, description="ISO 8601 instant (default now)")],
        responses=s.OnCallSerializer(many=True),
    )
    def get(self, request):
        """Who is on duty at ``at`` on every active rota."""
        params = s.AtSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = oncall_at(at=params.validated_data.get("at") or timezone.now())
        return Response(
            [
                {
                    "rota": {"id": row.rota_id, "name": row.rota_name, "slug": row.rota_slug},
                    "person": None
                    if row.person_id is None
                    else {"id": row.person_id, "name": row.person_name},
                    "starts_at": utc_iso(row.starts_at),
                    "ends_at": utc_iso(row.ends_at),
                    "source": row.source,
                }
                for row in rows
            ]
        )


class MyShiftsView(RotaAPIView):
    """The signed-in user's turns on every rota."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=WINDOW_PARAMS,
        responses={
            200: s.RotaSegmentSerializer(many=True),
            404: OpenApiResponse(
                response=inline_serializer("Error", {"detail": serializers.CharField()}),
                description="The signed-in user has no linked person.",
            ),
        },
    )
    def get(self, request):
        """Every segment the signed-in user's person holds on any rota over the window
        (default now .. now + 30 days, at most 366 days): stored history, projection,
        overrides; each names its rota. 404 when no person is linked to the user."""
        person = person_for_user(user=request.user)
        if person is None:
            raise NotFound("No person is linked to your user, so you hold no shifts.")
        window = _window(request, default_span=timedelta(days=30))
        held = person_segments(person_id=person.pk, start=window["start"], end=window["end"])
        names = {person.pk: person.name}
        return Response(
            [{"rota": s.rota_ref(rota), **s.segment_data(seg, names)} for rota, seg in held]
        )


class RotasScheduleView(RotaAPIView):
    """Several rotas' schedules in one call."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "rotas", type=str, required=True,
                description=f"Rota ids, comma-separated (at most {s.MAX_ROTAS})",
            ),
            *WINDOW_PARAMS,
        ],
        responses=s.RotaSegmentSerializer(many=True),
    )  # fmt: skip
    def get(self, request):
        """The segments of each rota named in ``rotas`` over the window (as
        ``rotas/{id}/schedule/``), rota by rota in the order given, each naming its rota."""
        params = s.RotasWindowSerializer(data=request.query_params, default_span=timedelta(days=30))
        params.is_valid(raise_exception=True)
        rotas, start, end = (params.validated_data[key] for key in ("rotas", "start", "end"))
        by_rota = rotas_segments(rotas=rotas, start=start, end=end)
        names = _names(seg.person for segments in by_rota.values() for seg in segments)
        return Response(
            [
                {"rota": s.rota_ref(rota), **s.segment_data(seg, names)}
                for rota in rotas
                for seg in by_rota[rota.id]
            ]
        )
