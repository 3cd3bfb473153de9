"""The one way SIKAP's pages write dates (a built-in template library, settings TEMPLATES):

- ``{{ value|tanggal }}`` → "29 November 2026" (day, month name, year; in English
  "29 November 2026" too, month names translated);
- ``{{ value|tanggal_jam }}`` → "29 November 2026, 14.05" (an aware time in Asia/Jakarta,
  the site's time zone; hours and minutes separated by a dot as Indonesian writes them).

The same long date as ``kompetensi.rules.long_date`` (certificates and letters); forms,
notices and SIASN records keep their numeric ``dd-mm-yyyy`` (``rules.numeric_date``)."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

DATE = "j F Y"
DATE_TIME = "j F Y, H.i"


@register.filter(expects_localtime=True)
def tanggal(value) -> str:
    if not isinstance(value, date):
        return ""
    return date_format(value, DATE)


@register.filter(expects_localtime=True)
def tanggal_jam(value) -> str:
    if not isinstance(value, date):
        return ""
    if not isinstance(value, datetime):
        return date_format(value, DATE)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATE_TIME)
