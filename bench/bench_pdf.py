"""Certificate PDF throughput: ``workflow.certificates.pdf.render_certificate_pdf`` against bare WeasyPrint.

    .venv/bin/python bench/bench_pdf.py            # 200 certificates, serially, one process
    .venv/bin/python bench/bench_pdf.py -n 500

"ours" is the whole product path: Django template, QR code, Indonesian formatting, renderer
lock, WeasyPrint with the cached FontConfiguration and parsed CSS, PDF/A-3b.
"baseline" is WeasyPrint alone on the very same pre-rendered HTML and CSS, with the same output
options (PDF/A-3b), its own FontConfiguration and CSS object built once: nothing of ours around
it (and WeasyPrint's default HTML5 user-agent stylesheet). "bare+ourUA" is the same with the
certificate's own small user-agent stylesheet, as workflow.certificates.pdf configures WeasyPrint:
ours / bare+ourUA is the cost of our code around WeasyPrint (template, QR code, formatting,
lock). "ours/noPDFA" and "bare+ourUA/noPDFA" are the
same without PDF/A (--no-pdfa-rows to skip them): the cost of PDF/A. All rows are timed
interleaved, certificate by certificate, so all see the same machine load. PDFs/s/core is
computed from process CPU time (one thread), so a busy neighbour does not flatter or hurt it
(much: the CPU's caches and a hyperthread sibling are still shared); "(median)" is the same
from the median CPU time per certificate, less sensitive to such neighbours.

Goals: >= 30 certificates/s/core, p95 <= 100 ms, overhead <= 15 %.

Uses ``sikap.settings.test`` when it imports, otherwise a minimal template-only Django.
WeasyPrint is reached through the renderer (``workflow.certificates.pdf`` stays the one module that imports it).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> str:
    import django
    from django.conf import settings

    if settings.configured:
        return "already configured"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikap.settings.test")
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except Exception as exc:  # settings not ready: templates are all we need
        del os.environ["DJANGO_SETTINGS_MODULE"]
        settings.configure(
            TEMPLATES=[
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "DIRS": [str(ROOT / "templates")],
                }
            ],
            USE_I18N=False,
        )
        django.setup()
        return f"standalone (settings did not import: {exc.__class__.__name__})"
    django.setup()
    return os.environ["DJANGO_SETTINGS_MODULE"]


FIRST_NAMES = ["Siti", "Ahmad", "Dewi", "Rudi", "Nurul", "Budi", "Ratna", "Agus", "Yuni", "Eko"]
LAST_NAMES = ["Rahmawati", "Hidayat", "Lestari", "Saputra", "Aini", "Santoso", "Kurniasih"]
MODULES = [
    ("Pelayanan Publik Prima bagi Aparatur Sipil Negara", [("Pelayanan Publik", 3)]),
    ("Komunikasi Efektif di Tempat Kerja", [("Komunikasi", 2), ("Kerja Sama", 2)]),
    (
        "Integritas dan Antikorupsi",
        [("Integritas", 3), ("Orientasi pada Hasil", 2), ("Perekat Bangsa", 3)],
    ),
    ("Pengelolaan Arsip Dinamis Berbasis Elektronik", [("Kearsipan", 2)]),
]
UNITS = [
    "Bidang Pengembangan Kompetensi Aparatur",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Kecamatan Serang, Kelurahan Cipare",
    "Badan Perencanaan Pembangunan Daerah",
]


def make_contexts(n: int):
    from workflow.certificates.pdf import CertificateContext

    contexts = []
    for i in range(n):
        title, competencies = MODULES[i % len(MODULES)]
        code = base64.b32encode(hashlib.sha256(f"bench-{i}".encode()).digest()[:16]).decode()
        code = code.rstrip("=")  # 26 characters
        completed = date(2026, 1, 5) + timedelta(days=i % 300)
        contexts.append(
            CertificateContext(
                number=f"{i + 1:05d}/SIKAP/2026",
                holder_name=f"{FIRST_NAMES[i % 10]} {LAST_NAMES[i % 7]}, S.Kom.",
                holder_nip=f"1985{i % 12 + 1:02d}{i % 28 + 1:02d}2010{i % 12 + 1:02d}1{i % 999:03d}",
                holder_rank="Penata Muda Tingkat I (III/b)",
                holder_position="Pranata Komputer Ahli Pertama",
                holder_unit=UNITS[i % len(UNITS)],
                module_title=title,
                competencies=competencies,
                jp=[20, 24, 32, 40][i % 4],
                start_date=completed - timedelta(days=14),
                completion_date=completed,
                issue_date=completed + timedelta(days=1),
                signatory_name="H. Ahmad Fauzi Rahman, S.STP., M.Si.",
                signatory_nip="197501012000031002",
                signatory_position="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                verify_url=f"https://sikap.serangkota.go.id/verifikasi/{code}/",
                verification_code=code,
            )
        )
    return contexts


def timed(fn: Callable[[], bytes]) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="certificates (default 200)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-pdfa-rows", action="store_true", help="skip the rows without PDF/A")
    args = parser.parse_args()

    django_mode = setup_django()
    # WeasyPrint logs 7 INFO "progress" lines per PDF; keep the table readable (and see the
    # note on LOGGING in workflow/certificates/pdf.py's report). Affects both sides equally.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    from workflow.certificates import pdf

    started = time.perf_counter()
    renderer = pdf._get_renderer()
    first_use = time.perf_counter() - started
    wp = renderer.weasyprint

    contexts = make_contexts(args.n + args.warmup)
    html = [pdf.certificate_html(ctx) for ctx in contexts]
    css_text = (pdf.PDF_TEMPLATE_DIR / pdf.STYLESHEETS["certificate"]).read_text("utf-8")
    base_fonts = wp.text.fonts.FontConfiguration()
    base_css = wp.CSS(string=css_text, font_config=base_fonts)

    variant = pdf.CERTIFICATE_PDF_VARIANT

    def ours(i: int) -> bytes:
        return pdf.render_certificate_pdf(contexts[i])

    def ours_plain(i: int) -> bytes:
        pdf.CERTIFICATE_PDF_VARIANT = None
        try:
            return pdf.render_certificate_pdf(contexts[i])
        finally:
            pdf.CERTIFICATE_PDF_VARIANT = variant

    def baseline(i: int) -> bytes:
        return wp.HTML(string=html[i]).write_pdf(
            stylesheets=[base_css], font_config=base_fonts, pdf_variant=variant
        )

    # The same, but with the certificate's own small user-agent stylesheet (what workflow.certificates.pdf
    # gives WeasyPrint): separates "our code around WeasyPrint" from "our WeasyPrint setup".
    lean_ua = renderer.lean_ua.get("certificate")

    def baseline_lean(i: int, pdf_variant: str | None = variant) -> bytes:
        doc = renderer.lean_html_class(string=html[i])
        doc.lean_ua = lean_ua
        return doc.write_pdf(
            stylesheets=[base_css], font_config=base_fonts, pdf_variant=pdf_variant
        )

    def baseline_lean_plain(i: int) -> bytes:
        return baseline_lean(i, None)

    runners = [("ours", ours), ("baseline", baseline)]
    if renderer.lean_html_class is not None and lean_ua is not None:
        runners.append(("bare+ourUA", baseline_lean))
    if not args.no_pdfa_rows:
        runners.append(("ours/noPDFA", ours_plain))
        if renderer.lean_html_class is not None and lean_ua is not None:
            runners.append(("bare+ourUA/noPDFA", baseline_lean_plain))

    for i in range(args.warmup):
        for _, fn in runners:
            fn(i)

    results: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "cpu": []} for name, _ in runners
    }
    sizes = []
    for i in range(args.warmup, args.warmup + args.n):
        # Alternate which goes first so neither always runs on a warmer cache.
        order = list(runners)
        if i % 2:
            order.reverse()
        for name, fn in order:
            wall, cpu, out = timed(lambda fn=fn, i=i: fn(i))
            results[name]["wall"].append(wall)
            results[name]["cpu"].append(cpu)
            if name == "ours":
                sizes.append(len(out))
                assert out.startswith(b"%PDF-")

    print(f"Certificate PDFs ({variant}), {args.n} rendered serially in one process")
    print(
        f"python {platform.python_version()}, WeasyPrint {wp.__version__}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Django: {django_mode}"
    )
    print(f"harfbuzz-subset available: {pdf.harfbuzz_subset_available()}")
    print(f"first use (FontConfiguration + 3 stylesheets): {first_use * 1000:.0f} ms")
    print(f"PDF size: median {statistics.median(sizes) / 1024:.1f} KiB")
    qr_cpu = [timed(lambda ctx=ctx: pdf.qr_png_data_uri(ctx.verify_url))[1] for ctx in contexts]
    print(f"QR code (segno + PNG data URL): median {statistics.median(qr_cpu) * 1000:.2f} ms")
    print()
    header = (
        f"{'':18} {'PDFs/s/core':>12} {'(median)':>9} {'wall PDFs/s':>12} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    )
    print(header)
    print("-" * len(header))
    summary = {}
    for name, data in results.items():
        wall, cpu = data["wall"], data["cpu"]
        per_core = len(cpu) / sum(cpu)
        summary[name] = {
            "per_core": per_core,
            "p50": pct(wall, 0.50) * 1000,
            "p95": pct(wall, 0.95) * 1000,
            "mean_cpu": statistics.fmean(cpu),
        }
        print(
            f"{name:18} {per_core:12.1f} {1 / statistics.median(cpu):9.1f} "
            f"{len(wall) / sum(wall):12.1f} "
            f"{pct(wall, 0.5) * 1000:8.1f} {pct(wall, 0.95) * 1000:8.1f} {max(wall) * 1000:8.1f}"
        )
    overhead = summary["ours"]["mean_cpu"] / summary["baseline"]["mean_cpu"] - 1
    print()
    print(f"overhead (ours / baseline - 1, mean CPU time): {overhead * 100:+.1f} %")
    if "bare+ourUA" in summary:
        own = summary["ours"]["mean_cpu"] / summary["bare+ourUA"]["mean_cpu"] - 1
        print(
            f"our code around WeasyPrint (ours / bare+ourUA - 1): {own * 100:+.1f} % "
            "(template, QR code, formatting, lock)"
        )
    if "ours/noPDFA" in summary:
        cost = summary["ours"]["mean_cpu"] - summary["ours/noPDFA"]["mean_cpu"]
        print(f"cost of PDF/A-3b in ours: {cost * 1000:+.1f} ms per certificate")
    print()
    goals = [
        (">= 30 certificates/s/core", summary["ours"]["per_core"] >= 30),
        ("p95 <= 100 ms", summary["ours"]["p95"] <= 100),
        ("overhead <= 15 %", overhead <= 0.15),
    ]
    for label, ok in goals:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
