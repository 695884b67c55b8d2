from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Signs in with an email address; no username.

    Roles (see hcsm.core.permissions): every active account is *basic*; ``is_member`` and
    ``is_org_admin`` are plain flags until the membership issue gives them meaning;
    ``is_staff`` marks the center's moderators.
    """

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_member = models.BooleanField(default=False)
    is_org_admin = models.BooleanField("organization admin (network leader)", default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]


class VerifiedCredential(models.Model):
    """A professional credential a person holds ("MD", "RN", "Board certified in cardiology").

    People add their own (status *pending*); staff check it against the issuing board's public
    register and confirm or reject it in the admin. Only confirmed credentials count when the
    professionalism check compares claims in a post with the author."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credentials")
    credential = models.CharField(
        max_length=120,
        help_text="As it is written after a name: MD, RN, PA-C, FACS, or "
        "'Board certified in cardiology'.",
    )
    issuer = models.CharField(max_length=200, blank=True, help_text="Board, school or registry.")
    evidence = models.CharField(
        max_length=300, blank=True, help_text="License number or a link to the public register."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "credential"]
        constraints = [
            models.UniqueConstraint(fields=["user", "credential"], name="unique_user_credential")
        ]

    def __str__(self) -> str:
        return f"{self.credential} ({self.get_status_display()})"
