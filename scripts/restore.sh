#!/usr/bin/env bash
# Pemulihan SIKAP dari cadangan scripts/backup.sh ke basis data BARU (kosong).
#
#   DATABASE_URL=postgres://…/sikap_baru MEDIA_ROOT=/srv/sikap/media \
#     scripts/restore.sh [--create] sikap-db-<waktu>.dump [sikap-media-<waktu>.tar.gz]
#
# --create   buat dulu basis data DATABASE_URL (lewat basis data pemeliharaan "postgres").
# Basis data tujuan harus kosong: pemulihan tidak pernah menimpa data yang ada. Setelah selesai,
# jalankan `manage.py migrate` (bila kode lebih baru dari cadangan) dan arahkan aplikasi ke sana.
# Di akhir, `manage.py invalidate_caches` menaikkan semua versi cache (halaman yang di-cache
# dari data lama tidak pernah disajikan lagi); jalankan dengan variabel lingkungan aplikasi
# (DJANGO_SETTINGS_MODULE, REDIS_CACHE_URL …) agar mengenai cache yang dipakai aplikasi.
set -euo pipefail

die() { echo "restore.sh: $*" >&2; exit 1; }

create=0
if [ "${1:-}" = "--create" ]; then create=1; shift; fi
dump="${1:-}"
media_tar="${2:-}"
[ -n "$dump" ] || die "pemakaian: restore.sh [--create] BERKAS.dump [MEDIA.tar.gz]"
[ -f "$dump" ] || die "berkas cadangan $dump tidak ada"
[ -z "$media_tar" ] || [ -f "$media_tar" ] || die "berkas media $media_tar tidak ada"
: "${DATABASE_URL:?DATABASE_URL wajib diisi (basis data tujuan yang baru)}"
command -v pg_restore >/dev/null || die "pg_restore tidak ditemukan (apt-get install postgresql-client)"

# Check the checksums when the .sha256 written by backup.sh lies beside the dump.
sums="$(dirname "$dump")/sikap-$(basename "$dump" .dump | sed 's/^sikap-db-//').sha256"
if [ -f "$sums" ]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet --ignore-missing "$(basename "$sums")") \
    || die "sidik SHA-256 tidak cocok: cadangan rusak"
fi

if [ "$create" = 1 ]; then
  read -r maintenance_url db_name < <(python3 - "$DATABASE_URL" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
name = parts.path.lstrip("/")
if not name.replace("_", "").isalnum():
    sys.exit("nama basis data hanya boleh huruf, angka dan _")
print(urlunsplit(parts._replace(path="/postgres")), name)
PY
)
  psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 "$maintenance_url" -c "CREATE DATABASE \"$db_name\""
  echo "basis data $db_name dibuat."
fi

tables="$(psql --no-psqlrc -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" "$DATABASE_URL")"
[ "$tables" = "0" ] || die "basis data tujuan tidak kosong ($tables tabel); pulihkan ke basis data baru."

pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dump"
echo "basis data dipulihkan dari $dump"

if [ -n "$media_tar" ]; then
  here="$(cd "$(dirname "$0")/.." && pwd)"
  media="${MEDIA_ROOT:-$here/media}"
  mkdir -p "$media"
  # Refuse absolute paths and '..' inside the archive.
  if tar -tzf "$media_tar" | grep -qE '(^/|(^|/)\.\.(/|$))'; then
    die "arsip media berisi jalur berbahaya"
  fi
  tar -xzf "$media_tar" -C "$media" --no-same-owner
  echo "media dipulihkan ke $media"
fi

# Cached pages and aggregates are keyed by cache versions that no service of this data moved:
# bump them all (core/dataversion.py), on the cache the application uses.
here="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-$here/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"
"$py" "$here/manage.py" invalidate_caches \
  || die "data dipulihkan, tetapi versi cache belum dinaikkan: jalankan manage.py invalidate_caches"
