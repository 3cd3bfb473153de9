"""Demo discussions in Bahasa Indonesia. Deterministic (ctx.rng, fixed dates) and idempotent
(a topic is identified by forum + title). Small scale: a few dozen posts; city: hundreds,
written in bulk and counted once at the end."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Max

from portal.models import TrainingModulePage

from . import services
from .models import Forum, Post, Reaction, Subscription, Topic
from .rendering import render_markdown

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
    services.forum_grant(forum=forums["ruang-pelatih"], codename="post_in_forum", group=trainers)
    staff, _ = Group.objects.get_or_create(name="Forum Disdukcapil")
    services.forum_grant(forum=forums["ruang-disdukcapil"], codename="post_in_forum", group=staff)
    User = get_user_model()
    unit_users = User.objects.filter(employee__unit__path__startswith="DISDUKCAPIL").exclude(
        groups=staff
    )
    staff.user_set.add(*unit_users)
    demo = ctx.shared.get("demo_employees") or {}
    if "atasan" in demo and demo["atasan"].user_id:
        services.forum_grant(
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
    fallback = next(iter(people.values()))
    pool = [u for k, u in people.items() if k.startswith("p")] or [fallback]

    def who_is(key: str):
        if key in people:
            return people[key]
        if key.startswith("p") and key[1:].isdigit():
            return pool[int(key[1:]) % len(pool)]
        return fallback

    threads = THREADS + _module_threads(forums) + _generated_threads(ctx, forums)
    existing = set(Topic.objects.values_list("forum__slug", "title"))
    new_threads = [
        t for t in threads if t[0] in forums and (forums[t[0]].slug, t[1]) not in existing
    ]
    if not new_threads:
        ctx.log("  forum: diskusi contoh sudah ada")
        return
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
    for forum in forums.values():
        agg = Topic.objects.filter(forum=forum, is_approved=True).aggregate(
            n=Count("id"), last=Max("last_post_at")
        )
        posts = Post.objects.filter(topic__forum=forum, status=Post.Status.PUBLISHED).count()
        Forum.objects.filter(pk=forum.pk).update(
            topic_count=agg["n"], post_count=posts, last_post_at=agg["last"]
        )
    _moderation_examples(forums, rows, who_is)
    ctx.log(f"  forum: {len(topics)} topik, {len(rows)} pesan")


def _moderation_examples(forums, rows, who_is) -> None:
    """A reply waiting in the pre-moderation queue and an open report, for the demo."""
    from .models import PostReport

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
