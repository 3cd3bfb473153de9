"""What every installation of the portal needs, without demo data: the page tree (Beranda →
Katalog Pelatihan, Panduan with one help page per role), the trainers' and reviewers' page
permissions and the "Tinjauan Konten" moderation workflow. Idempotent: ``manage.py
setup_site`` runs it (and ``seed_demo`` too, before the demo modules)."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core.roles import GROUP_HR, GROUP_REVIEWER, GROUP_TRAINER

from .models import HelpIndexPage, HelpPage, HomePage, TrainingCatalogPage

WORKFLOW_NAME = "Tinjauan Konten"
TASK_NAME = "Persetujuan Reviewer Konten"

HOME_INTRO = (
    "<p>SIKAP menghubungkan penilaian kompetensi, pelatihan, forum diskusi dan sertifikat dalam "
    "satu alur: kesenjangan kompetensi yang ditemukan dalam penilaian menjadi pelatihan yang "
    "ditugaskan, dan penilaian berikutnya menunjukkan apakah kesenjangan itu telah tertutup.</p>"
)


def ensure_page_tree() -> dict[str, Page]:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Remove Wagtail's default welcome page, if any, so our home takes the slug "home".
        for child in root.get_children():
            if child.specific_class is Page:
                child.delete()
        home = HomePage(title="Beranda", slug="home", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="SIKAP Kota Serang",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "SIKAP Kota Serang"
        site.save()
    catalog = TrainingCatalogPage.objects.first()
    if catalog is None:
        catalog = TrainingCatalogPage(
            title="Katalog Pelatihan",
            slug="katalog",
            intro="<p>Semua modul pengembangan kompetensi yang tersedia bagi ASN Kota Serang.</p>",
        )
        home.add_child(instance=catalog)
        catalog.save_revision().publish()
    help_index = HelpIndexPage.objects.first()
    if help_index is None:
        help_index = HelpIndexPage(
            title="Panduan",
            slug="panduan",
            intro="<p>Panduan singkat memakai SIKAP untuk setiap peran.</p>",
        )
        home.add_child(instance=help_index)
        help_index.save_revision().publish()
    return {"home": home, "catalog": catalog, "help": help_index}


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=codename
    )


def ensure_page_permissions(pages: dict[str, Page]) -> None:
    """Pelatih: "add" on the catalog (= create modules/lessons there and edit their own; no
    publish). Reviewer Konten: "change" and "publish" on the catalog (Wagtail publishes an
    approved submission as the approving user, so the approver needs "publish").
    BKPSDM: add/change/publish on the help pages."""
    grants = [
        (GROUP_TRAINER, pages["catalog"], ["add_page"]),
        (GROUP_REVIEWER, pages["catalog"], ["change_page", "publish_page"]),
        (GROUP_HR, pages["help"], ["add_page", "change_page", "publish_page"]),
    ]
    for group_name, page, codenames in grants:
        group, _created = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_page_permission(codename)
            )


def ensure_review_workflow(catalog: Page) -> Workflow:
    """Workflow "Tinjauan Konten" with one group approval task for Reviewer Konten, assigned
    to the catalog (so to every module and lesson below it)."""
    reviewers, _created = Group.objects.get_or_create(name=GROUP_REVIEWER)
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    return workflow


def ensure_help_pages(help_index: Page) -> list[HelpPage]:
    existing = {p.slug: p for p in HelpPage.objects.child_of(help_index)}
    result = []
    for slug, title, role, body in HELP_PAGES:
        page = existing.get(slug)
        if page is None:
            page = HelpPage(title=title, slug=slug, role=role, body=body)
            help_index.add_child(instance=page)
            page.save_revision().publish()
        result.append(page)
    return result


def ensure_site_structure() -> dict[str, Page]:
    """What every installation needs: pages, trainer permissions, review workflow, help."""
    pages = ensure_page_tree()
    ensure_page_permissions(pages)
    ensure_review_workflow(pages["catalog"])
    ensure_help_pages(pages["help"])
    return pages


HELP_PAGES = [
    (
        "panduan-asn",
        "Panduan untuk ASN",
        "ASN",
        """<h2>Apa yang bisa Anda lakukan di SIKAP</h2>
<p>SIKAP membantu Anda mengetahui kompetensi mana yang perlu dikembangkan, mengikuti pelatihan yang sesuai, dan mengumpulkan sertifikat sebagai bukti. Setiap ASN berhak atas pengembangan kompetensi paling sedikit 20 jam pelajaran (JP) setiap tahun.</p>
<h2>Langkah 1: isi penilaian diri</h2>
<p>Buka menu <b>Kinerja Saya</b>. Bila BKPSDM sedang membuka periode penilaian, Anda akan melihat formulir penilaian diri. Pilih level yang paling menggambarkan perilaku Anda sehari-hari pada setiap kompetensi; bacalah uraian level dengan teliti. Penilaian diri bukan ujian: jawaban jujur membantu Anda mendapat pelatihan yang tepat.</p>
<h2>Langkah 2: lihat kesenjangan Anda</h2>
<p>Setelah atasan menilai, SIKAP membandingkan level Anda dengan level yang dibutuhkan jabatan. Selisihnya disebut kesenjangan. Kesenjangan ditampilkan di Beranda dan di Kinerja Saya.</p>
<h2>Langkah 3: ikuti pelatihan</h2>
<p>Pelatihan yang ditugaskan BKPSDM muncul di Beranda lengkap dengan tenggat waktunya. Anda juga boleh mengikuti modul lain dari <b>Katalog Pelatihan</b>: pilih modul, tekan <b>Ikuti modul ini</b>, lalu pelajari setiap pelajaran. Tekan <b>Tandai selesai</b> setelah membaca. Bila pelajaran berisi kuis, Anda harus mencapai nilai lulus; kuis boleh diulang dan nilai terbaik yang dihitung.</p>
<h2>Langkah 4: unduh sertifikat</h2>
<p>Setelah semua pelajaran dan kuis selesai, sertifikat PDF terbit otomatis di menu <b>Pelatihan Saya</b>. Setiap sertifikat memiliki kode QR yang dapat dipindai siapa pun untuk memeriksa keasliannya, dan JP-nya ditambahkan ke capaian tahun ini.</p>
<h2>Bertanya dan berdiskusi</h2>
<p>Setiap modul memiliki forum diskusi. Gunakan forum untuk bertanya kepada pelatih atau berbagi pengalaman dengan rekan dari perangkat daerah lain.</p>""",
    ),
    (
        "panduan-atasan",
        "Panduan untuk atasan langsung",
        "Atasan",
        """<h2>Peran Anda</h2>
<p>Sebagai atasan langsung, Anda paling mengenal cara kerja bawahan. Penilaian Anda menjadi dasar utama perhitungan kesenjangan kompetensi, sehingga pelatihan yang diberikan BKPSDM tepat sasaran.</p>
<h2>Menilai bawahan</h2>
<p>Buka menu <b>Tim Saya</b> saat periode penilaian dibuka. Anda akan melihat daftar bawahan langsung beserta status penilaiannya. Untuk setiap bawahan, pilih level kompetensi berdasarkan perilaku yang Anda amati selama periode berjalan, bukan berdasarkan kesan sesaat. Anda dapat melihat penilaian diri bawahan sebagai pembanding.</p>
<h2>Memantau pengembangan</h2>
<p>Di Tim Saya Anda juga melihat kesenjangan setiap bawahan, pelatihan yang sedang diikuti, kemajuannya, dan JP yang sudah dicapai tahun ini. Gunakan informasi ini dalam dialog kinerja berkala.</p>
<h2>Tips</h2>
<ul><li>Jadwalkan percakapan singkat dengan bawahan sebelum dan sesudah menilai.</li><li>Dorong bawahan yang JP-nya masih rendah untuk memilih modul dari katalog.</li><li>Modul <i>Coaching dan Mentoring untuk Atasan</i> membantu Anda memberi umpan balik yang membangun.</li></ul>""",
    ),
    (
        "panduan-pelatih",
        "Panduan untuk pelatih dan widyaiswara",
        "Pelatih",
        """<h2>Menulis modul pelatihan</h2>
<p>Pelatih menulis modul di halaman <b>Admin</b> (Wagtail). Buka <b>Halaman</b> → <b>Beranda</b> → <b>Katalog Pelatihan</b>, lalu pilih <b>Tambah halaman anak</b> → <b>Modul pelatihan</b>. Isi ringkasan, tujuan pembelajaran, kompetensi yang dikembangkan beserta level sasarannya, JP, modalitas, nilai lulus kuis (bawaan 70%), dan penandatangan sertifikat.</p>
<h2>Menambah pelajaran</h2>
<p>Di dalam modul Anda, tambahkan halaman anak <b>Pelajaran</b>. Isi pelajaran disusun dari blok: teks, judul bagian, gambar, video, dokumen unduhan, kotak sorotan, dan kuis. Pada blok kuis, tandai pilihan yang benar; jawaban benar tidak pernah dikirim ke peramban peserta, penilaian dilakukan di server.</p>
<h2>Mengirim untuk ditinjau</h2>
<p>Pelatih tidak dapat menerbitkan langsung. Setelah selesai, pilih <b>Kirim ke Tinjauan Konten</b>. Reviewer Konten akan menyetujui atau meminta perubahan disertai komentar. Anda akan melihat komentar tersebut di halaman penyuntingan; perbaiki lalu kirim ulang.</p>
<h2>Hak akses</h2>
<p>Anda dapat membuat modul baru di katalog dan menyunting modul milik Anda sendiri. Modul milik pelatih lain tidak dapat Anda ubah. Setiap perubahan tersimpan sebagai revisi, sehingga versi lama dapat dibandingkan dan dipulihkan. Kemajuan peserta tetap tersimpan meskipun Anda menyunting pelajaran.</p>
<h2>Forum modul</h2>
<p>Setiap modul memiliki forum diskusi. Sebagai pelatih, Anda dapat menjawab pertanyaan dan memoderasi forum modul Anda.</p>""",
    ),
    (
        "panduan-reviewer",
        "Panduan untuk reviewer konten",
        "Reviewer Konten",
        """<h2>Tugas reviewer</h2>
<p>Reviewer Konten menjaga mutu materi pelatihan sebelum diterbitkan: kebenaran isi, kesesuaian dengan kompetensi dan level sasaran, bahasa yang mudah dipahami, serta kuis yang adil.</p>
<h2>Meninjau kiriman</h2>
<p>Masuk ke <b>Admin</b>. Di dasbor terdapat panel <b>Menunggu tinjauan Anda</b>. Buka kiriman, gunakan <b>Pratinjau</b> untuk melihat halaman seperti yang akan dilihat peserta, dan bandingkan dengan revisi sebelumnya bila modul pernah terbit.</p>
<h2>Menyetujui atau meminta perubahan</h2>
<p>Pilih <b>Setujui</b> bila materi layak; halaman langsung terbit. Pilih <b>Minta perubahan</b> bila ada yang harus diperbaiki, dan tuliskan komentar yang jelas: bagian mana, apa masalahnya, dan saran perbaikannya. Pelatih akan menerima komentar Anda.</p>
<h2>Daftar periksa</h2>
<ul><li>Apakah tujuan pembelajaran sesuai dengan kompetensi dan level sasaran?</li><li>Apakah setiap pertanyaan kuis memiliki satu jawaban yang benar-benar benar (atau himpunan jawaban untuk pilihan ganda kompleks)?</li><li>Apakah JP wajar dibanding jumlah dan panjang pelajaran? Satu JP setara 45 menit.</li></ul>""",
    ),
    (
        "panduan-bkpsdm",
        "Panduan untuk BKPSDM",
        "BKPSDM",
        """<h2>Peran BKPSDM</h2>
<p>BKPSDM memelihara kamus kompetensi, jabatan dan pegawai, membuka periode penilaian, menyetujui rekomendasi pelatihan, dan menerbitkan atau mencabut sertifikat.</p>
<h2>Siklus tahunan</h2>
<ol><li>Perbarui data jabatan dan persyaratan kompetensinya.</li><li>Buka periode penilaian; pegawai mengisi penilaian diri dan atasan menilai.</li><li>Tutup periode; SIKAP menghitung kesenjangan dan JPM setiap pegawai.</li><li>Jalankan <b>rekomendasi</b>: setiap kesenjangan dicocokkan dengan modul yang mengembangkan kompetensi itu pada level yang cukup. Tinjau dan setujui di menu Rekomendasi.</li><li>Pantau kemajuan dan capaian JP di Dashboard SDM, per pegawai maupun per perangkat daerah.</li></ol>
<h2>Kebutuhan tanpa modul</h2>
<p>Kesenjangan yang belum memiliki modul yang sesuai muncul di laporan <b>Kebutuhan tanpa modul</b>. Gunakan laporan ini untuk merencanakan modul baru bersama pelatih.</p>
<h2>Sertifikat</h2>
<p>Sertifikat diberi nomor urut tanpa celah dan kode verifikasi. Bila sertifikat harus dicabut, cantumkan alasannya; halaman verifikasi publik akan menampilkan status dicabut.</p>""",
    ),
]
