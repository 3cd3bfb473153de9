#!/usr/bin/env bash
# Cadangan SIKAP: basis data PostgreSQL (pg_dump format custom) + media (tar.gz).
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/sikap/media scripts/backup.sh [FOLDER_TUJUAN]
#
# Menulis ke FOLDER_TUJUAN (bawaan: ./cadangan):
#   sikap-db-<waktu>.dump        pulihkan dengan scripts/restore.sh
#   sikap-media-<waktu>.tar.gz   isi MEDIA_ROOT (dilewati bila media ada di S3)
#   sikap-<waktu>.sha256         sidik SHA-256 kedua berkas
# Simpan salinannya di luar server (mesin lain / penyimpanan objek) dan uji pemulihan berkala.
set -euo pipefail

die() { echo "backup.sh: $*" >&2; exit 1; }

: "${DATABASE_URL:?DATABASE_URL wajib diisi (postgres://pengguna@host:5432/nama_db)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) die "DATABASE_URL harus PostgreSQL; SQLite cukup disalin berkasnya saat aplikasi berhenti." ;;
esac
command -v pg_dump >/dev/null || die "pg_dump tidak ditemukan (apt-get install postgresql-client)"

here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-./cadangan}"
media="${MEDIA_ROOT:-$here/media}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
umask 077  # cadangan berisi data pribadi: hanya pemiliknya yang boleh membaca

db_file="$out/sikap-db-$stamp.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$db_file.partial" "$DATABASE_URL"
mv "$db_file.partial" "$db_file"
files=("$(basename "$db_file")")
echo "basis data: $db_file"

if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  echo "media ada di bucket S3 '$AWS_STORAGE_BUCKET_NAME': cadangkan dengan versioning/replikasi bucket."
elif [ -d "$media" ]; then
  media_file="$out/sikap-media-$stamp.tar.gz"
  tar -czf "$media_file.partial" -C "$media" .
  mv "$media_file.partial" "$media_file"
  files+=("$(basename "$media_file")")
  echo "media: $media_file"
else
  echo "media: folder $media tidak ada, dilewati."
fi

(cd "$out" && sha256sum "${files[@]}" > "sikap-$stamp.sha256")
echo "sidik: $out/sikap-$stamp.sha256"
