"""factory_boy factories for the election structure."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from elections.models import (
    Area,
    Candidate,
    Constituency,
    Contest,
    Election,
    Level,
    PollingUnit,
    PollingUnitConstituency,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        obj.set_password(extracted or "pw-for-tests")
        if create:
            obj.save(update_fields=["password"])


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    slug = factory.Sequence(lambda n: f"election-{n}")
    name = factory.Sequence(lambda n: f"Cuộc bầu cử {n}")
    election_day = dt.date(2021, 5, 23)


class AreaFactory(factory.django.DjangoModelFactory):
    """Areas built top-down; the path is set from the parent as the import service does."""

    class Meta:
        model = Area
        skip_postgeneration_save = True

    election = factory.SubFactory(ElectionFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Xã {n}")
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):  # noqa: N805
        base = obj.parent.path if obj.parent else "/"
        obj.path = f"{base}{obj.pk}/"
        obj.depth = obj.parent.depth + 1 if obj.parent else 0
        obj.save(update_fields=["path", "depth"])


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    election = factory.SubFactory(ElectionFactory)
    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Đại biểu {n}")
    level = Level.NATIONAL_ASSEMBLY


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency

    election = factory.SelfAttribute("contest.election")
    contest = factory.SubFactory(ContestFactory)
    code = factory.Sequence(lambda n: f"DV-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị bầu cử số {n}")
    seats = 3
    area = factory.SubFactory(AreaFactory, election=factory.SelfAttribute("..election"))


class PollingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingUnit
        skip_postgeneration_save = True

    election = factory.SubFactory(ElectionFactory)
    code = factory.Sequence(lambda n: f"U-{n:02d}")
    name = factory.Sequence(lambda n: f"Khu vực bỏ phiếu số {n}")
    area = factory.SubFactory(AreaFactory, election=factory.SelfAttribute("..election"))
    registered_voters = 800

    @factory.post_generation
    def constituencies(obj, create, extracted, **kwargs):  # noqa: N805
        for constituency in extracted or ():
            PollingUnitConstituency.objects.create(polling_unit=obj, constituency=constituency)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    election = factory.SelfAttribute("constituency.election")
    constituency = factory.SubFactory(ConstituencyFactory)
    code = factory.Sequence(lambda n: f"C-{n}")
    ballot_order = factory.Sequence(lambda n: n + 1)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    date_of_birth = dt.date(1970, 1, 1)
