"""The task force's participation month by month, as the API answers it (`GET /initiatives/{id}/participation/`)."""

from __future__ import annotations

from rest_framework import serializers

from roadmap.participation import Participation


class ParticipationMonthSerializer(serializers.Serializer):
    month = serializers.CharField(source="label", help_text="YYYY-MM; months run from the start to today or the end.")
    pledged = serializers.IntegerField()
    took_part = serializers.SerializerMethodField(help_text="Pledged people who took part that month.")
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, help_text="0 to 1; null: nobody pledged."
    )
    faded = serializers.BooleanField(help_text="Below half of the first month's participation.")

    def get_took_part(self, month) -> int:
        return len(month.present)


class ParticipationSerializer(serializers.Serializer):
    initiative = serializers.IntegerField(source="initiative.pk")
    pledged = serializers.SerializerMethodField()
    months = ParticipationMonthSerializer(many=True)

    def get_pledged(self, participation: Participation) -> int:
        return len(participation.pledges)
