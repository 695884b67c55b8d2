"""POST /api/v1/check/: the professionalism check as JSON."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hcsm.core.permissions import Perm, api_permission, can

from .check import run_check
from .selectors import author_for, author_from_payload
from .throttling import CheckThrottle, rate_limited_message


class AuthorIn(serializers.Serializer):
    name = serializers.CharField(max_length=150, allow_blank=True, default="")
    credentials = serializers.ListField(
        child=serializers.CharField(max_length=120), max_length=20, default=list
    )
    handles = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=20, default=list
    )


class CheckIn(serializers.Serializer):
    text = serializers.JSONField(help_text="The draft post, as a string.", allow_null=True)
    author = AuthorIn(
        required=False,
        help_text="Staff only: check on behalf of this author instead of yourself.",
    )


class FindingOut(serializers.Serializer):
    category = serializers.ChoiceField(choices=["phi", "advice", "credential"])
    identifier = serializers.IntegerField(
        allow_null=True, help_text="HIPAA Safe Harbor identifier number (1-18), PHI only."
    )
    kind = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset of the first character (code points).")
    end = serializers.IntegerField(help_text="Offset after the last character.")
    severity = serializers.ChoiceField(choices=["block", "warn", "info"])
    confidence = serializers.FloatField()
    explanation = serializers.CharField()
    suggestion = serializers.CharField()


class CheckOut(serializers.Serializer):
    findings = FindingOut(many=True)
    degraded = serializers.BooleanField()
    notices = serializers.ListField(child=serializers.CharField())
    blocking = serializers.BooleanField()


class CheckView(APIView):
    """Check a draft post for PHI, individual medical advice and credential claims. The text
    is not stored or logged."""

    permission_classes = [api_permission(Perm.CHECK_USE)]
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    throttle_classes = [CheckThrottle]

    def throttled(self, request: Request, wait: float | None) -> None:
        from rest_framework.exceptions import Throttled

        raise Throttled(wait=wait, detail=rate_limited_message(wait))

    @extend_schema(request=CheckIn, responses={200: CheckOut})
    def post(self, request: Request) -> Response:
        data = CheckIn(data=request.data)
        data.is_valid(raise_exception=True)
        if "author" in data.validated_data:
            if not can(request.user, Perm.CHECK_ON_BEHALF):
                raise PermissionDenied("Only staff may check a draft on someone else's behalf.")
            author = author_from_payload(**data.validated_data["author"])
        else:
            author = author_for(request.user)
        result = run_check(text=data.validated_data["text"], author=author)
        return Response(
            {
                "findings": [f.as_dict() for f in result.findings],
                "degraded": result.degraded,
                "notices": result.notices,
                "blocking": result.blocking,
            }
        )
