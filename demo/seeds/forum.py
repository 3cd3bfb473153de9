"""Demo discussions in Bahasa Indonesia. Deterministic (ctx.rng, fixed dates) and idempotent
(a topic is identified by forum + title). Small scale: a few dozen posts; city: hundreds,
written in bulk and counted once at the end."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Max

from core.roles import SYSTEM
from forum import services
from forum.models import Forum, Post, Reaction, Subscription, Topic
from forum.rendering import render_markdown
from portal.models import TrainingModulePage

BASE_TIME = datetime(2026, 11, 2, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

# (forum slug, title, [(author key, markdown)], index of the answer or None)
# author keys: demo usernames, or "p0".."pN" for other participants.
THREADS = [
    (
        "tanya-jawab-kepegawaian",
        "Cara memperbarui data SKP di e-Kinerja setelah mutasi?",
        [
            (
                "asn",
                "Selamat pagi rekan-rekan. Saya baru mutasi dari Dinas Kesehatan ke Disdukcapil "
                "bulan lalu. Di e-Kinerja, SKP saya masih tercatat di unit lama. "
                "Apakah saya perlu membuat SKP baru atau cukup mengajukan perubahan?",
            ),
            (
                "hr",
                "Selamat pagi Pak Rizki. Setelah mutasi, SKP **dibuat baru** di unit tujuan "
                "dengan periode mulai tanggal SK mutasi. SKP lama ditutup dengan penilaian "
                "sampai tanggal mutasi.\n\n1. Minta atasan lama menilai SKP sampai tanggal "
                "mutasi.\n2. Susun SKP baru bersama atasan di Disdukcapil.\n3. Unggah SK mutasi "
                "di menu Riwayat Jabatan.",
            ),
            (
                "asn",
                "> Minta atasan lama menilai SKP sampai tanggal mutasi.\n\nBaik Bu, terima kasih. "
                "Apakah penilaian dari atasan lama tetap dihitung untuk predikat akhir tahun?",
            ),
            (
                "hr",
                "Betul, keduanya digabung secara proporsional sesuai lamanya periode. "
                "Predikat akhir mengikuti ketentuan PermenPANRB Nomor 6 Tahun 2022.",
            ),
        ],
        1,
    ),
    (
        "pelayanan-publik",
        "Antrean perekaman KTP-el menumpuk setiap Senin, ada saran?",
        [
            (
                "atasan",
                "Rekan-rekan, setiap Senin antrean perekaman KTP-el di kantor kami bisa mencapai "
                "150 orang sebelum pukul 09.00. Bagaimana pengalaman di kecamatan lain?",
            ),
            (
                "p0",
                "Di kecamatan kami sejak Agustus memakai **nomor antrean daring** lewat WhatsApp "
                "resmi. Kuota 80 per hari, sisanya diarahkan ke hari Selasa–Kamis. Antrean "
                "Senin turun hampir separuh.",
            ),
            (
                "asn",
                "Kami juga mencoba layanan jemput bola ke sekolah untuk pemula usia 17 tahun. "
                "Lumayan mengurangi antrean di kantor.",
            ),
            (
                "atasan",
                "Ide bagus. Apakah nomor WhatsApp itu dikelola petugas khusus? "
                "Saya khawatir pesan tidak terbalas.",
            ),
            (
                "p0",
                "Ya, satu petugas bergantian per sif, dan ada templat balasan otomatis. "
                "Jangan lupa umumkan jam layanan di media sosial kecamatan.",
            ),
        ],
        None,
    ),
    (
        "pelayanan-publik",
        "Hasil SKM triwulan III: unsur waktu pelayanan masih rendah",
        [
            (
                "p1",
                "Hasil survei kepuasan masyarakat triwulan III di unit kami: IKM 78,2 (Baik), "
                "tetapi unsur U3 (waktu penyelesaian) hanya 2,71. Apa yang sudah dicoba di "
                "unit lain untuk mempercepat?",
            ),
            (
                "hr",
                "Coba petakan dulu tahap yang paling lama. Biasanya verifikasi berkas. "
                "Standar pelayanan yang dipajang juga harus sesuai waktu sebenarnya.",
            ),
            (
                "p2",
                "Kami memasang papan status berkas (diterima, diverifikasi, siap diambil). "
                'Keluhan "kapan selesai" berkurang drastis walau waktunya sama.',
            ),
        ],
        None,
    ),
    (
        "tanya-jawab-kepegawaian",
        "Apakah pelatihan daring di SIKAP dihitung ke 20 JP per tahun?",
        [
            (
                "p3",
                "Mohon info, modul e-learning di SIKAP apakah sudah diakui sebagai JP "
                "pengembangan kompetensi? Saya baru mengumpulkan 12 JP tahun ini.",
            ),
            (
                "pelatih",
                "Sudah, Bu. Setiap modul mencantumkan JP-nya, dan setelah lulus Anda mendapat "
                "sertifikat dengan nomor yang bisa diverifikasi. JP otomatis tercatat di "
                "halaman *Kinerja Saya*.",
            ),
            ("p3", "Terima kasih Pak, sangat membantu."),
        ],
        1,
    ),
    (
        "tanya-jawab-kepegawaian",
        "Syarat kenaikan pangkat reguler periode April",
        [
            (
                "p4",
                "Untuk kenaikan pangkat reguler periode April, berkas apa saja yang perlu "
                "disiapkan dan kapan batas unggahnya?",
            ),
            (
                "hr",
                "Berkas utama: SK pangkat terakhir, SKP dua tahun terakhir dengan predikat "
                "minimal *Baik*, dan ijazah bila ada penyesuaian. Batas unggah di SIASN "
                "biasanya akhir Januari; pengumuman resmi menyusul dari BKPSDM.",
            ),
        ],
        1,
    ),
    (
        "ruang-pelatih",
        "Berbagi bank soal kuis modul pelayanan prima",
        [
            (
                "pelatih",
                "Rekan widyaiswara, saya menyusun 40 soal kuis untuk modul Pelayanan Prima. "
                "Siapa yang mau menelaah sebelum diunggah ke SIKAP?",
            ),
            (
                "p5",
                "Saya bersedia, Pak. Kirim daftar soalnya, nanti saya tandai soal yang "
                "pilihannya terlalu mudah ditebak.",
            ),
        ],
        None,
    ),
    (
        "ruang-disdukcapil",
        "Jadwal piket layanan Sabtu bulan Desember",
        [
            (
                "atasan",
                "Rekan-rekan Disdukcapil, jadwal piket layanan Sabtu bulan Desember sudah "
                "saya unggah di grup. Mohon konfirmasi paling lambat Jumat.",
            ),
            ("asn", "Siap Bu, saya konfirmasi untuk tanggal 6 dan 20 Desember."),
        ],
        None,
    ),
]

EXTRA_SUBJECTS = [
    "legalisir akta kelahiran",
    "pindah domisili antarkabupaten",
    "pengaduan layanan melalui SP4N-LAPOR!",
    "penyusunan rencana aksi inovasi",
    "pengisian Sasaran Kinerja Pegawai",
    "kuis modul e-learning",
    "standar pelayanan di loket",
    "survei kepuasan masyarakat",
    "pelaporan LHKASN",
    "cuti tahunan dan cuti besar",
]
EXTRA_QUESTIONS = [
    "Bagaimana prosedur terbaru tentang {s}?",
    "Pengalaman rekan-rekan mengenai {s}",
    "Kendala {s} di unit kami",
    "Mohon pencerahan: {s}",
]
EXTRA_REPLIES = [
    "Di unit kami prosedurnya sudah dituangkan dalam SOP terbaru; silakan minta salinan ke "
    "subbagian umum.",
    "Kami mengalami hal yang sama. Setelah koordinasi dengan BKPSDM, masalahnya selesai dalam "
    "dua minggu.",
    "Saran saya, catat setiap kasus di buku register supaya mudah dievaluasi bulanan.",
    "Terima kasih infonya, sangat membantu untuk pelayanan kami.",
    "Apakah ada contoh formulirnya? Kami ingin menyesuaikan dengan kebutuhan di kecamatan.",
    "Sudah dicoba dan berhasil. Waktu layanan turun dari 3 hari menjadi 1 hari.",
    "Perlu diingat, perubahan standar pelayanan harus diumumkan ke masyarakat.",
    "Setuju dengan pendapat di atas; yang penting konsisten dan terdokumentasi.",
]


def _ensure_forums(ctx) -> dict[str, Forum]:
    umum = services.category_ensure(
        slug="umum", name="Forum Umum", description="Diskusi terbuka untuk semua ASN.", position=10
    )
    terbatas = services.category_ensure(
        slug="ruang-terbatas",
        name="Ruang Terbatas",
        description="Forum khusus kelompok tertentu.",
        position=30,
    )
    forums = {
        "pelayanan-publik": services.forum_create(
            category=umum,
            name="Pelayanan Publik",
            slug="pelayanan-publik",
            description="Berbagi praktik baik pelayanan: antrean, standar pelayanan, SKM.",
            premoderation=True,
            premoderation_threshold=1,
            position=1,
        ),
        "tanya-jawab-kepegawaian": services.forum_create(
            category=umum,
            name="Tanya Jawab Kepegawaian",
            slug="tanya-jawab-kepegawaian",
            description="Pertanyaan seputar SKP, pangkat, cuti dan pengembangan kompetensi.",
            is_qa=True,
            position=2,
        ),
        "ruang-pelatih": services.forum_create(
            category=terbatas,
            name="Ruang Pelatih",
            slug="ruang-pelatih",
            description="Khusus pelatih dan widyaiswara: menyusun modul dan kuis.",
            is_public=False,
            position=1,
        ),
        "ruang-disdukcapil": services.forum_create(
            category=terbatas,
            name="Ruang Staf Disdukcapil",
            slug="ruang-disdukcapil",
            description="Koordinasi internal Dinas Kependudukan dan Pencatatan Sipil.",
            is_public=False,
            position=2,
        ),
    }
    trainers, _ = Group.objects.get_or_create(name="Pelatih")
    services.forum_grant(
        actor=SYSTEM, forum=forums["ruang-pelatih"], codename="post_in_forum", group=trainers
    )
    staff, _ = Group.objects.get_or_create(name="Forum Disdukcapil")
    services.forum_grant(
        actor=SYSTEM, forum=forums["ruang-disdukcapil"], codename="post_in_forum", group=staff
    )
    User = get_user_model()
    unit_users = User.objects.filter(employee__unit__path__startswith="DISDUKCAPIL").exclude(
        groups=staff
    )
    staff.user_set.add(*unit_users)
    demo = ctx.shared.get("demo_employees") or {}
    if "atasan" in demo and demo["atasan"].user_id:
        services.forum_grant(
            actor=SYSTEM,
            forum=forums["ruang-disdukcapil"],
            codename="moderate_forum",
            user=demo["atasan"].user,
        )
    for module in TrainingModulePage.objects.live().order_by("path"):
        forums[f"module-{module.pk}"] = services.forum_ensure_for_module(module=module)
    return forums


def _participants(ctx) -> dict:
    """Demo users by username plus other participants p0..pN (employees' accounts)."""
    User = get_user_model()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["asn", "atasan", "hr", "pelatih", "reviewer"])
    }
    want = 12 if ctx.scale == "small" else 40
    others = list(
        User.objects.filter(employee__isnull=False)
        .exclude(username__in=list(people))
        .order_by("employee__nip")[:want]
    )
    if len(others) < want:
        from kompetensi.models import Employee

        asn_group = Group.objects.filter(name="ASN").first()
        missing = list(
            Employee.objects.filter(user__isnull=True).order_by("nip")[: want - len(others)]
        )
        new_users = []
        for employee in missing:
            user = User(
                username=employee.nip,
                first_name=employee.name[:150],
                email=employee.email or "",
            )
            user.set_unusable_password()
            new_users.append(user)
        User.objects.bulk_create(new_users, ignore_conflicts=True)
        by_name = {
            u.username: u for u in User.objects.filter(username__in=[e.nip for e in missing])
        }
        for employee in missing:
            employee.user = by_name[employee.nip]
        Employee.objects.bulk_update(missing, ["user"])
        if asn_group:
            asn_group.user_set.add(*by_name.values())
        others += list(by_name.values())
    if not others:
        others = list(people.values())
    for i, user in enumerate(others):
        people[f"p{i}"] = user
    return people


def _generated_threads(ctx, forums: dict[str, Forum]) -> list:
    count = 6 if ctx.scale == "small" else 60
    rng = ctx.rng
    targets = ["pelayanan-publik", "tanya-jawab-kepegawaian"] + [
        k for k in forums if k.startswith("module-")
    ]
    threads = []
    for i in range(count):
        subject = EXTRA_SUBJECTS[i % len(EXTRA_SUBJECTS)]
        question = EXTRA_QUESTIONS[(i // len(EXTRA_SUBJECTS)) % len(EXTRA_QUESTIONS)]
        title = question.format(s=subject)
        rounds = i // (len(EXTRA_SUBJECTS) * len(EXTRA_QUESTIONS))
        if rounds:
            title = f"{title} (bagian {rounds + 1})"
        title = title[0].upper() + title[1:]
        forum_key = targets[i % len(targets)]
        replies = rng.randint(2, 4) if ctx.scale == "small" else rng.randint(3, 9)
        posts = [
            (
                f"p{rng.randrange(40)}",
                f"Rekan-rekan, saya ingin bertanya tentang {subject}. "
                "Apa yang sebaiknya dilakukan agar layanan tetap sesuai standar?",
            )
        ]
        for _ in range(replies):
            posts.append((f"p{rng.randrange(40)}", rng.choice(EXTRA_REPLIES)))
        answer = 1 if forums[forum_key].is_qa and rng.random() < 0.5 else None
        threads.append((forum_key, title, posts, answer))
    return threads


def _module_threads(forums: dict[str, Forum]) -> list:
    threads = []
    for key in [k for k in forums if k.startswith("module-")][:4]:
        name = forums[key].name
        threads.append(
            (
                key,
                f"Pertanyaan tentang materi “{name}”",
                [
                    (
                        "asn",
                        f"Saya sedang mengikuti modul *{name}*. Pada kuis pelajaran kedua, "
                        "apakah jawaban yang salah bisa diulang tanpa batas?",
                    ),
                    (
                        "pelatih",
                        "Bisa, Pak. Nilai terbaik yang dipakai. Pelajari lagi ringkasan "
                        "materinya sebelum mengulang supaya lebih mantap.",
                    ),
                    ("asn", "Siap, terima kasih Pak Hendra."),
                ],
                1,
            )
        )
    return threads


def run(ctx) -> None:
    forums = _ensure_forums(ctx)
    people = _participants(ctx)
    if not people:
        ctx.log("  forum: tidak ada pengguna, diskusi contoh dilewati")
        return
    threads = THREADS + _module_threads(forums) + _generated_threads(ctx, forums)
    created = _seed_threads(ctx, forums, people, threads)
    # City and province: the volume of issue #8 (``ctx.posts`` posts in all).
    handmade = sum(len(t[2]) for t in threads if t[0] in forums) + 1  # + the pending reply
    volume = (getattr(ctx, "posts", 0) or 0) - handmade
    if volume > 0:
        reserved = {(t[0], t[1]) for t in threads}
        created += seed_forum_volume(ctx, forums, volume, reserved)
    if created:
        recount_forums()


def recount_forums() -> None:
    """Every forum's topic and post counters and last post, from the rows (grouped queries)."""
    topics = {
        row["forum_id"]: row
        for row in Topic.objects.filter(is_approved=True)
        .order_by()
        .values("forum_id")
        .annotate(n=Count("id"), last=Max("last_post_at"))
    }
    posts = dict(
        Post.objects.filter(status=Post.Status.PUBLISHED)
        .order_by()
        .values("topic__forum_id")
        .annotate(n=Count("id"))
        .values_list("topic__forum_id", "n")
    )
    for forum_id in Forum.objects.values_list("pk", flat=True):
        row = topics.get(forum_id, {"n": 0, "last": None})
        Forum.objects.filter(pk=forum_id).update(
            topic_count=row["n"], post_count=posts.get(forum_id, 0), last_post_at=row["last"]
        )


def _seed_threads(ctx, forums, people, threads) -> int:
    """The hand-written and generated demo threads; returns the posts created."""
    fallback = next(iter(people.values()))
    pool = [u for k, u in people.items() if k.startswith("p")] or [fallback]

    def who_is(key: str):
        if key in people:
            return people[key]
        if key.startswith("p") and key[1:].isdigit():
            return pool[int(key[1:]) % len(pool)]
        return fallback

    existing = set(Topic.objects.values_list("forum__slug", "title"))
    new_threads = [
        t for t in threads if t[0] in forums and (forums[t[0]].slug, t[1]) not in existing
    ]
    if not new_threads:
        ctx.log("  forum: diskusi contoh sudah ada")
        return 0
    when = BASE_TIME
    topics = []
    for i, (key, title, posts, _answer) in enumerate(threads):
        when = BASE_TIME + timedelta(hours=7 * i)
        if (key, title, posts, _answer) not in new_threads:
            continue
        author = who_is(posts[0][0])
        topics.append(
            Topic(
                forum=forums[key],
                title=title,
                author=author,
                created_at=when,
                last_post_at=when,
                last_poster=author,
            )
        )
    Topic.objects.bulk_create(topics)
    topic_by_key = {
        (t.forum.slug, t.title): t
        for t in Topic.objects.filter(pk__in=[t.pk for t in topics]).select_related("forum")
    }
    rows = []
    answers = {}
    for key, title, posts, answer in new_threads:
        topic = topic_by_key[(forums[key].slug, title)]
        for j, (who, body) in enumerate(posts):
            post = Post(
                topic=topic,
                author=who_is(who),
                body_markdown=body,
                body_html=render_markdown(body),
                created_at=topic.created_at + timedelta(minutes=47 * j + 5 * (j * j)),
            )
            rows.append(post)
            if answer == j:
                answers[topic.pk] = post
    Post.objects.bulk_create(rows, batch_size=500)
    # Answers, counters, subscriptions (authors and repliers), a few thanks.
    for topic_id, post in answers.items():
        Topic.objects.filter(pk=topic_id).update(answer_id=post.pk)
    new_ids = [t.pk for t in topics]
    stats = (
        Post.objects.filter(topic_id__in=new_ids, status=Post.Status.PUBLISHED)
        .values("topic_id")
        .annotate(n=Count("id"), last=Max("created_at"))
    )
    last_author = {}
    for post in rows:
        last_author[post.topic_id] = post.author_id
    changed = []
    for row in stats:
        topic = Topic(pk=row["topic_id"], post_count=row["n"], last_post_at=row["last"])
        topic.last_poster_id = last_author[row["topic_id"]]
        changed.append(topic)
    Topic.objects.bulk_update(changed, ["post_count", "last_post_at", "last_poster"])
    Subscription.objects.bulk_create(
        [Subscription(user_id=p.author_id, topic_id=p.topic_id) for p in rows],
        ignore_conflicts=True,
    )
    thanks = []
    for index, post in enumerate(rows):
        if index % 3 == 1:
            giver = people.get("hr", fallback)
            if giver.pk != post.author_id:
                thanks.append(Reaction(post=post, user=giver))
    Reaction.objects.bulk_create(thanks, ignore_conflicts=True)
    for reaction in thanks:
        reaction.post.thanks_count = 1
    Post.objects.bulk_update([r.post for r in thanks], ["thanks_count"])
    _moderation_examples(forums, rows, who_is)
    ctx.log(f"  forum: {len(topics)} topik, {len(rows)} pesan")
    return len(rows) + 1


def _moderation_examples(forums, rows, who_is) -> None:
    """A reply waiting in the pre-moderation queue and an open report, for the demo."""
    from forum.models import PostReport

    forum = forums["pelayanan-publik"]
    topic = Topic.objects.filter(forum=forum).order_by("created_at", "id").first()
    posted = set(
        Post.objects.filter(topic__forum=forum).values_list("author_id", flat=True).distinct()
    )
    newcomer = next(
        (u for u in map(who_is, [f"p{i}" for i in range(40)]) if u.pk not in posted), None
    )
    if topic is not None and newcomer is not None:
        body = (
            "Izin bertanya, apakah nomor antrean daring juga bisa dipakai untuk layanan "
            "akta kelahiran? Di kelurahan kami masih manual."
        )
        Post.objects.create(
            topic=topic,
            author=newcomer,
            body_markdown=body,
            body_html=render_markdown(body),
            created_at=topic.last_post_at + timedelta(hours=3),
            status=Post.Status.PENDING,
        )
    target = next(
        (p for p in rows if p.topic.forum_id == forum.pk and p.author_id != who_is("p9").pk), None
    )
    if target is not None:
        PostReport.objects.get_or_create(
            post=target,
            reporter=who_is("p9"),
            resolved_at=None,
            defaults={"reason": "Mohon dicek, pesan ini menyebut nomor WhatsApp pribadi petugas."},
        )


# ------------------------------------------------------------------------------------------
# Volume (city and province scale): ``ctx.posts`` posts in all, in bulk
# ------------------------------------------------------------------------------------------

VOLUME_START = datetime(2024, 1, 8, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
VOLUME_END = datetime(2026, 10, 25, 16, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
VOLUME_LAST = datetime(2026, 11, 1, 17, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

GENERAL_SUBJECTS = EXTRA_SUBJECTS + [
    "antrean layanan hari Senin",
    "standar waktu penerbitan dokumen",
    "penanganan warga lansia dan disabilitas",
    "maklumat pelayanan",
    "jam layanan saat bulan Ramadan",
    "layanan jemput bola ke kelurahan",
    "tanda tangan elektronik pada dokumen",
    "arsip berkas layanan",
    "kenaikan pangkat reguler",
    "tugas belajar dan izin belajar",
    "mutasi antarperangkat daerah",
    "penilaian kinerja triwulanan",
    "pengembangan kompetensi 20 JP",
    "pelatihan daring di SIKAP",
    "uji kompetensi jabatan fungsional",
    "presensi daring",
    "tunjangan tambahan penghasilan",
    "pengaduan melalui media sosial",
    "survei kepuasan masyarakat triwulan",
    "inovasi pelayanan publik",
]
DUKCAPIL_SUBJECTS = [
    "jadwal piket layanan Sabtu",
    "stok blanko KTP-el",
    "gangguan jaringan SIAK",
    "perekaman KTP-el di sekolah",
    "akta kematian dari kelurahan",
    "kartu identitas anak",
    "pembaruan data kartu keluarga",
    "layanan dokumen kependudukan daring",
]
MODULE_SUBJECTS = [
    "materi pelajaran pertama",
    "contoh kasus di pelajaran kedua",
    "kuis akhir",
    "penerapan materi di unit kerja",
    "istilah yang belum jelas",
    "tugas latihan penerapan",
    "sertifikat dan JP modul ini",
    "bahan bacaan tambahan",
]
TITLE_TEMPLATES = [
    "Bagaimana prosedur terbaru tentang {s}?",
    "Pengalaman rekan-rekan mengenai {s}",
    "Kendala {s} di unit kami",
    "Mohon pencerahan: {s}",
    "Berbagi praktik baik: {s}",
    "Pertanyaan seputar {s}",
    "Usulan perbaikan {s}",
    "Ada yang sudah mencoba cara baru untuk {s}?",
    "Diskusi: {s}",
    "Tanya: {s}",
]
PLACES = [
    "Kecamatan Serang",
    "Kecamatan Cipocok Jaya",
    "Kecamatan Kasemen",
    "Kecamatan Taktakan",
    "Kecamatan Curug",
    "Kecamatan Walantaka",
    "Disdukcapil",
    "DPMPTSP",
    "Dinas Kesehatan",
    "puskesmas",
    "Dinas Sosial",
    "Bapenda",
    "Dinas Perhubungan",
    "sekretariat",
]
OPENERS = [
    "Selamat pagi rekan-rekan.",
    "Assalamualaikum, izin bertanya.",
    "Rekan-rekan sekalian,",
    "Mohon izin berbagi pengalaman.",
    "Selamat siang, Bapak/Ibu.",
    "Izin bertanya kepada rekan yang sudah berpengalaman.",
]
QUESTIONS = [
    "Di {p} kami masih menemui kendala soal {s}. Apa yang sebaiknya dilakukan agar layanan "
    "tetap sesuai standar?",
    "Bagaimana pengalaman di unit lain tentang {s}? Kami ingin menyusun SOP yang lebih jelas.",
    "Saya baru dipindahkan ke {p} dan belum paham alur {s}. Mohon arahannya.",
    "Sejak bulan lalu keluhan warga tentang {s} meningkat, sekitar {n} keluhan per minggu. "
    "Ada saran langkah pertama?",
    "Apakah ada ketentuan terbaru mengenai {s}? Informasi yang kami terima berbeda-beda.",
    "Kami ingin memperbaiki **{s}** tahun ini. Data apa saja yang perlu dikumpulkan lebih dulu?",
]
REPLIES = EXTRA_REPLIES + [
    "Di {p} kami membuat jadwal khusus untuk {s}, dan antrean berkurang sekitar {n} persen.",
    "Sebaiknya koordinasikan dulu dengan atasan langsung, lalu catat kesepakatannya dalam "
    "notulen supaya bisa ditindaklanjuti.",
    "Kami pernah mengalami hal serupa. Kuncinya adalah informasi persyaratan yang **jelas** "
    "sejak awal.",
    "Menurut pengalaman kami, langkahnya:\n\n1. petakan tahap yang paling lama;\n2. "
    "sederhanakan formulir;\n3. umumkan standar waktu di loket.",
    "Setuju. Jangan lupa minta masukan warga lewat survei kepuasan setelah perubahan diterapkan.",
    "Contoh formulir yang kami pakai untuk {s} bisa diminta ke subbagian umum {p}.",
    "Waktu layanan di unit kami turun dari {n} hari menjadi {m} hari setelah berkas "
    "diverifikasi di depan.",
    "Izin menambahkan: perubahan prosedur sebaiknya diuji coba satu bulan dulu, baru ditetapkan.",
    "Materi modul pelatihan di SIKAP cukup membantu untuk hal ini, terutama bagian studi kasusnya.",
    "Terima kasih atas penjelasannya, Pak/Bu. Akan kami coba minggu depan.",
    "Apakah sudah ada surat edaran resminya? Kami perlu dasar hukum sebelum menerapkannya.",
    "Kami memakai papan status berkas: diterima, diverifikasi, siap diambil. Pertanyaan "
    "warga berkurang banyak.",
]
MODULE_REPLIES = [
    "Saya juga sempat bingung di bagian ini. Setelah membaca ulang ringkasan pelajarannya, "
    "baru jelas.",
    "Coba kerjakan dulu latihan di pelajaran sebelumnya; soal kuisnya banyak yang mirip "
    "dengan contoh di sana.",
    "Di unit kami materi ini langsung kami terapkan untuk {s}. Hasilnya cukup terasa dalam "
    "{n} hari.",
    "Menurut saya studi kasusnya sangat dekat dengan kondisi di {p}.",
    "Apakah ada yang punya contoh rencana perbaikan untuk latihan penerapan? Saya ingin "
    "membandingkan.",
    "Nilai kuis saya belum mencapai batas lulus pada percobaan pertama; setelah mengulang "
    "materi akhirnya lulus.",
    "JP modul ini sudah tercatat di halaman Kinerja Saya setelah sertifikat terbit.",
    "Terima kasih, penjelasan di forum ini melengkapi materi modulnya.",
]
ANSWERS = [
    "Untuk {s}, ketentuannya sudah diatur dalam SOP terbaru. Intinya:\n\n1. siapkan berkas "
    "lengkap;\n2. verifikasi di loket;\n3. dokumen selesai paling lama {m} hari kerja.",
    "Jawabannya: ikuti alur di standar pelayanan yang berlaku. Bila ragu, hubungi BKPSDM "
    "atau admin SIKAP di unit Anda.",
    "Bisa. Nilai kuis terbaik yang dicatat, dan JP tercatat otomatis setelah modul selesai.",
]
REPLY_OPENERS = [
    "Izin menanggapi.",
    "Betul, {sapaan}.",
    "Terima kasih, {sapaan}, pertanyaannya bagus.",
    "Menambahkan dari {p}:",
    "Pengalaman kami agak berbeda.",
    "Sepakat dengan rekan di atas.",
    "Kami di {p} juga pernah mengalami ini.",
    "",
    "",
    "",
    "",
]
CLOSERS = [
    "Terima kasih.",
    "Mohon pencerahannya.",
    "Semoga membantu.",
    "Mohon koreksi bila keliru.",
    "Salam dari {p}.",
    "",
    "",
    "",
]


class _Html:
    """Markdown → HTML per paragraph, each distinct paragraph rendered once by
    ``render_markdown``: a post's HTML is its paragraphs' HTML joined by a newline, which is
    exactly what ``render_markdown`` gives for the paragraphs joined by a blank line (block
    elements only; the seed test checks a sample against the whole-post rendering)."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, paragraphs: list[str]) -> tuple[str, str]:
        html = []
        for text in paragraphs:
            done = self.cache.get(text)
            if done is None:
                done = self.cache[text] = render_markdown(text)
            html.append(done)
        return "\n\n".join(paragraphs), "\n".join(html)


def _topic_size(rng) -> int:
    """Posts of a topic (first post included): mostly short threads, a few long ones."""
    roll = rng.random()
    if roll < 0.6:
        return rng.randint(1, 8)
    if roll < 0.9:
        return rng.randint(9, 25)
    if roll < 0.99:
        return rng.randint(26, 80)
    return rng.randint(81, 300)


def _volume_forums(forums: dict[str, Forum]):
    """(forum key, weight, subjects) of the forums the volume goes to."""
    keys = [("pelayanan-publik", 3, GENERAL_SUBJECTS)]
    keys.append(("tanya-jawab-kepegawaian", 3, GENERAL_SUBJECTS))
    keys.append(("ruang-disdukcapil", 1, DUKCAPIL_SUBJECTS))
    keys += [(k, 1, MODULE_SUBJECTS) for k in forums if k.startswith("module-")]
    return [k for k in keys if k[0] in forums]


def _volume_plan(seed: int, forums: dict[str, Forum], posts: int, reserved=()) -> list[tuple]:
    """The volume topics in order: (index, forum key, title, size, subject, place); titles
    unique within a forum and different from the ``reserved`` (forum key, title) of the
    hand-made threads. Deterministic; cheap (the posts are drawn later, per topic, only for
    topics not yet stored)."""
    import random

    targets = _volume_forums(forums)
    if posts <= 0 or not targets:
        return []
    rng = random.Random(f"sikap-forum-volume-{seed}")
    keys = [k for k, _w, _s in targets]
    weights = [w for _k, w, _s in targets]
    subjects = {k: s for k, _w, s in targets}
    used: dict[str, set[str]] = {}
    for key, title in reserved:
        used.setdefault(key, set()).add(title[0].upper() + title[1:])
    plan = []
    total = 0
    while total < posts:
        key = rng.choices(keys, weights)[0]
        size = min(_topic_size(rng), posts - total)
        subject = rng.choice(subjects[key])
        place = rng.choice(PLACES)
        title = rng.choice(TITLE_TEMPLATES).format(s=subject)
        if key in ("pelayanan-publik", "tanya-jawab-kepegawaian") and rng.random() < 0.5:
            title = f"{title.rstrip('?')} di {place}" + ("?" if "?" in title else "")
        title = title[0].upper() + title[1:]
        seen = used.setdefault(key, set())
        if title in seen:
            n = 2
            while f"{title} (bagian {n})" in seen:
                n += 1
            title = f"{title} (bagian {n})"
        seen.add(title)
        plan.append((len(plan), key, title, size, subject, place))
        total += size
    return plan


def _pools(forums: dict[str, Forum], fallback: list[int]) -> dict[str, list[int]]:
    """Who writes where: module forums their learners (and trainers), the Disdukcapil room its
    staff, the open forums every employee with an account."""
    from workflow.models import Assignment

    User = get_user_model()
    everyone = (
        list(
            User.objects.filter(is_active=True, employee__isnull=False)
            .order_by("employee__nip")
            .values_list("pk", flat=True)
        )
        or fallback
    )
    trainers = list(
        User.objects.filter(groups__name="Pelatih").order_by("pk").values_list("pk", flat=True)
    )
    module_forums = {f.module_id: k for k, f in forums.items() if k.startswith("module-")}
    learners: dict[str, set[int]] = {k: set() for k in module_forums.values()}
    for module_id, user_id in Assignment.objects.filter(
        module_id__in=list(module_forums), employee__user__isnull=False
    ).values_list("module_id", "employee__user_id"):
        learners[module_forums[module_id]].add(user_id)
    pools = {
        "pelayanan-publik": everyone,
        "tanya-jawab-kepegawaian": everyone,
        "ruang-disdukcapil": list(
            User.objects.filter(groups__name="Forum Disdukcapil")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        or everyone,
    }
    for key, ids in learners.items():
        pools[key] = sorted(ids) or everyone
    pools["_trainers"] = trainers
    return pools


def _volume_posts(rng, key: str, topic: tuple, start, pool, trainers, qa, html):
    """The posts of one volume topic: [(author, markdown, html, created_at, thanks givers)]
    and the index of the answer (Q&A forums) or None."""
    _index, _key, _title, size, subject, place = topic
    fill = {"s": subject, "p": place}

    def text(template: str) -> str:
        n = rng.choice((3, 5, 7, 10, 12, 15, 20, 25, 30, 40))
        sapaan = rng.choice(("Pak", "Bu", "Bapak/Ibu", "rekan"))
        return template.format(n=n, m=max(1, n // 3), sapaan=sapaan, **fill)

    posts = []
    when = start
    first_author = pool[rng.randrange(len(pool))]
    answer = None
    for j in range(size):
        if j == 0:
            author = first_author
            paragraphs = [rng.choice(OPENERS), text(rng.choice(QUESTIONS))]
        else:
            when = min(when + timedelta(minutes=rng.randint(12, 60 * 30)), VOLUME_LAST)
            expert = qa and answer is None and j <= 3 and rng.random() < 0.45
            if expert and key.startswith("module-") and trainers:
                author = trainers[rng.randrange(len(trainers))]
            else:
                author = pool[rng.randrange(len(pool))]
            paragraphs = []
            if j > 1 and rng.random() < 0.12:
                paragraphs.append("> " + posts[0][1].split("\n\n")[1])
            opener = text(rng.choice(REPLY_OPENERS))
            if opener:
                paragraphs.append(opener)
            replies = MODULE_REPLIES if key.startswith("module-") else REPLIES
            paragraphs.append(text(rng.choice(ANSWERS if expert else replies)))
            if not expert and rng.random() < 0.35:
                paragraphs.append(text(rng.choice(replies)))
            if expert:
                answer = j
        closer = text(rng.choice(CLOSERS))
        if closer:
            paragraphs.append(closer)
        markdown_text, body_html = html(paragraphs)
        thanks = rng.choice((0, 0, 0, 0, 1, 1, 2, 3)) if j else rng.choice((0, 1))
        givers = sorted({pool[rng.randrange(len(pool))] for _k in range(thanks)} - {author})
        posts.append((author, markdown_text, body_html, when, givers))
    return posts, answer


def seed_forum_volume(ctx, forums: dict[str, Forum], posts: int, reserved=()) -> int:
    """About ``posts`` published posts in topics of the open forums, the module forums and the
    Disdukcapil room, with Indonesian text variations rendered like real posts; topic and
    forum counters, last posts, answers of Q&A topics, thanks (reactions and ``thanks_count``)
    and the authors' subscriptions kept consistent. Deterministic (one generator per topic)
    and idempotent (a topic is identified by forum + title). Returns the posts created."""
    import random

    from demo.seeds.kompetensi import insert_rows

    plan = _volume_plan(ctx.seed, forums, posts, reserved)
    if not plan:
        return 0
    existing = set(
        Topic.objects.filter(forum__in=[forums[k] for k in {p[1] for p in plan}]).values_list(
            "forum_id", "title"
        )
    )
    todo = [p for p in plan if (forums[p[1]].pk, p[2]) not in existing]
    if not todo:
        return 0
    User = get_user_model()
    fallback = list(User.objects.order_by("pk").values_list("pk", flat=True)[:1])
    pools = _pools(forums, fallback)
    trainers = pools["_trainers"]
    html = _Html()
    span = (VOLUME_END - VOLUME_START) / len(plan)
    created = 0
    for begin in range(0, len(todo), 2000):
        chunk = todo[begin : begin + 2000]
        topics, drafts = [], []
        for topic in chunk:
            index, key, title = topic[:3]
            rng = random.Random(f"sikap-forum-topic-{ctx.seed}-{index}")
            start = VOLUME_START + span * index + timedelta(minutes=rng.randrange(600))
            forum = forums[key]
            rows, answer = _volume_posts(
                rng, key, topic, start, pools[key], trainers, forum.is_qa, html
            )
            last = rows[-1]
            topics.append(
                Topic(
                    forum=forum,
                    title=title,
                    author_id=rows[0][0],
                    created_at=start,
                    last_post_at=last[3],
                    last_poster_id=last[0],
                    post_count=len(rows),
                )
            )
            drafts.append((rows, answer))
        Topic.objects.bulk_create(topics, batch_size=1000)
        insert_rows(
            Post,
            [
                "topic",
                "author",
                "body_markdown",
                "body_html",
                "created_at",
                "status",
                "is_hidden",
                "hidden_reason",
                "thanks_count",
            ],
            (
                (t.pk, author, md, body, when, Post.Status.PUBLISHED, False, "", len(givers))
                for t, (rows, _a) in zip(topics, drafts, strict=True)
                for author, md, body, when, givers in rows
            ),
            batch=200,
        )
        ids: dict[int, list[int]] = {}
        for topic_id, post_id in (
            Post.objects.filter(topic__in=topics)
            .order_by("topic_id", "created_at", "id")
            .values_list("topic_id", "id")
        ):
            ids.setdefault(topic_id, []).append(post_id)
        answers, reactions, subscriptions = [], [], set()
        for topic, (rows, answer) in zip(topics, drafts, strict=True):
            post_ids = ids[topic.pk]
            if answer is not None:
                answers.append(Topic(pk=topic.pk, answer_id=post_ids[answer]))
            for post_id, (author, _md, _html, when, givers) in zip(post_ids, rows, strict=True):
                subscriptions.add((author, topic.pk))
                reactions += [(post_id, user_id, when) for user_id in givers]
        Topic.objects.bulk_update(answers, ["answer"], batch_size=500)
        insert_rows(
            Reaction,
            ["post", "user", "kind", "created_at"],
            (
                (post_id, user_id, Reaction.Kind.THANKS, when)
                for post_id, user_id, when in reactions
            ),
        )
        insert_rows(
            Subscription,
            ["user", "topic", "created_at"],
            ((user_id, topic_id, VOLUME_LAST) for user_id, topic_id in sorted(subscriptions)),
        )
        created += sum(len(rows) for rows, _a in drafts)
    ctx.log(f"  forum: {len(todo)} topik volume, {created} pesan")
    return created
