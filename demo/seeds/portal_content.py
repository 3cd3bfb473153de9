"""Demo training content in Bahasa Indonesia (modules, lessons, quizzes, help pages).

Plain data only; ``demo.seeds.portal`` turns it into pages. Each module: slug, title, competencies
[(code, target level)], JP, modality, summary, objectives, lessons
[(title, minutes, [paragraphs], callout or None)] and a quiz on the last lesson
[(question, kind, [(choice, correct)], explanation)]."""

# ruff: noqa: E501

T, F = True, False

MODULES = [
    {
        "slug": "komunikasi-efektif-pelayanan-publik",
        "title": "Komunikasi Efektif dalam Pelayanan Publik",
        "competencies": [("M.3", 3)],
        "jp": 8,
        "modality": "e_learning",
        "summary": "Cara menyampaikan informasi layanan dengan jelas, mendengarkan secara aktif, dan menjawab keluhan warga tanpa memperkeruh suasana.",
        "objectives": [
            "Menerapkan prinsip mendengarkan aktif saat melayani warga.",
            "Menyusun penjelasan persyaratan layanan yang singkat dan mudah dipahami.",
            "Menangani keluhan dengan teknik klarifikasi dan empati.",
        ],
        "lessons": [
            (
                "Prinsip komunikasi pelayanan",
                15,
                [
                    "Komunikasi dalam pelayanan publik bukan sekadar menyampaikan informasi, tetapi memastikan warga memahami apa yang harus dilakukan, berapa lama, dan berapa biayanya. Pesan yang baik selalu menjawab tiga pertanyaan tersebut.",
                    "Gunakan bahasa yang sederhana, hindari singkatan internal seperti \u201cSKTM\u201d atau \u201cNIB\u201d tanpa penjelasan, dan periksa pemahaman dengan meminta warga mengulang langkah berikutnya dengan kata-katanya sendiri.",
                    "Sikap tubuh juga berkomunikasi: kontak mata, posisi duduk menghadap warga, dan nada suara yang tenang menunjukkan bahwa petugas hadir sepenuhnya.",
                ],
                (
                    "tip",
                    "Tempelkan alur layanan bergambar di loket. Warga yang membaca alur sebelum dilayani bertanya lebih sedikit dan lebih tepat.",
                ),
            ),
            (
                "Mendengarkan aktif",
                20,
                [
                    "Mendengarkan aktif berarti memberi perhatian penuh, menahan diri untuk tidak memotong, lalu merangkum kembali apa yang didengar: \u201cJadi Bapak sudah dua kali datang dan berkas masih dikembalikan, betul?\u201d",
                    "Rangkuman seperti itu membuat warga merasa didengar dan sekaligus memastikan petugas tidak salah menangkap masalah. Setelah itu ajukan pertanyaan terbuka untuk menggali informasi yang kurang.",
                ],
                (
                    "info",
                    "Empat langkah: dengarkan, rangkum, tanyakan, sepakati langkah berikutnya.",
                ),
            ),
            (
                "Menangani keluhan",
                25,
                [
                    "Keluhan adalah informasi berharga tentang titik lemah layanan. Sambut keluhan dengan ucapan terima kasih, akui perasaan warga, lalu fokus pada penyelesaian yang bisa dilakukan hari ini.",
                    "Jangan berjanji di luar kewenangan. Jika masalah harus diteruskan, sebutkan kepada siapa, kapan warga akan dihubungi, dan catat nomor pengaduannya.",
                    "Setiap keluhan dicatat dalam buku atau aplikasi pengaduan agar polanya dapat dianalisis dalam evaluasi layanan bulanan.",
                ],
                (
                    "warning",
                    "Hindari kalimat defensif seperti \u201cItu bukan salah kami\u201d. Kalimat itu menutup percakapan, bukan menyelesaikan masalah.",
                ),
            ),
        ],
        "quiz": [
            (
                "Apa tujuan merangkum kembali ucapan warga dalam mendengarkan aktif?",
                "single",
                [
                    ("Memastikan pemahaman dan menunjukkan bahwa warga didengar", T),
                    ("Mempercepat antrean", F),
                    ("Menguji ingatan warga", F),
                ],
                "Rangkuman memeriksa pemahaman petugas sekaligus membangun kepercayaan.",
            ),
            (
                "Manakah yang termasuk informasi inti yang harus dijawab oleh pesan layanan?",
                "multiple",
                [
                    ("Apa yang harus dilakukan warga", T),
                    ("Berapa lama prosesnya", T),
                    ("Berapa biayanya", T),
                    ("Nama atasan petugas", F),
                ],
                "Tiga pertanyaan inti: apa, berapa lama, berapa biaya.",
            ),
            (
                "Keluhan yang tidak dapat diselesaikan di loket sebaiknya...",
                "single",
                [
                    ("Ditolak dengan sopan", F),
                    (
                        "Diteruskan dengan menyebut pihak, waktu tindak lanjut, dan nomor pengaduan",
                        T,
                    ),
                    ("Dijanjikan selesai hari itu juga", F),
                ],
                "Janji harus sesuai kewenangan dan dapat ditelusuri.",
            ),
            (
                "Kalimat mana yang paling tepat untuk membuka penanganan keluhan?",
                "single",
                [
                    ("\u201cTerima kasih sudah menyampaikan, mari kita lihat bersama.\u201d", T),
                    ("\u201cItu bukan salah kami.\u201d", F),
                    ("\u201cSilakan ke loket lain.\u201d", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "pelayanan-prima-bagi-asn",
        "title": "Pelayanan Prima bagi ASN",
        "competencies": [("M.5", 3)],
        "jp": 12,
        "modality": "blended",
        "summary": "Standar pelayanan, maklumat layanan, dan budaya BerAKHLAK dalam praktik loket sehari-hari, termasuk melayani kelompok rentan.",
        "objectives": [
            "Menjelaskan komponen standar pelayanan menurut UU 25/2009 dan PermenPANRB 15/2014.",
            "Menerapkan pelayanan yang ramah bagi penyandang disabilitas, lansia, dan ibu hamil.",
            "Menggunakan hasil Survei Kepuasan Masyarakat untuk perbaikan.",
        ],
        "lessons": [
            (
                "Standar pelayanan dan maklumat",
                20,
                [
                    "Setiap penyelenggara layanan wajib menyusun, menetapkan, dan menerapkan standar pelayanan yang memuat antara lain persyaratan, prosedur, jangka waktu, biaya atau tarif, produk layanan, dan penanganan pengaduan.",
                    "Maklumat pelayanan adalah janji tertulis penyelenggara kepada masyarakat untuk memenuhi standar tersebut. Maklumat dipajang di tempat yang mudah dilihat dan ditandatangani pimpinan unit.",
                ],
                (
                    "info",
                    "Standar pelayanan disusun bersama perwakilan masyarakat, bukan hanya oleh petugas.",
                ),
            ),
            (
                "Pelayanan inklusif",
                20,
                [
                    "Pelayanan prima berarti semua warga dapat dilayani dengan setara. Sediakan loket prioritas, kursi tunggu yang cukup, jalur landai, dan informasi dalam huruf besar.",
                    "Tanyakan bantuan apa yang dibutuhkan sebelum membantu. Berbicaralah langsung kepada warga penyandang disabilitas, bukan kepada pendampingnya.",
                ],
                ("tip", "Latih minimal satu petugas per shift untuk bahasa isyarat dasar."),
            ),
            (
                "Belajar dari survei kepuasan",
                15,
                [
                    "Survei Kepuasan Masyarakat (SKM) mengukur sembilan unsur layanan. Unsur dengan nilai terendah menunjukkan prioritas perbaikan, misalnya waktu penyelesaian atau penanganan pengaduan.",
                    "Hasil SKM diumumkan kepada publik bersama rencana tindak lanjutnya. Di SIKAP, unsur yang rendah dapat menjadi dasar kebutuhan pelatihan petugas.",
                ],
                None,
            ),
        ],
        "quiz": [
            (
                "Manakah yang termasuk komponen standar pelayanan?",
                "multiple",
                [
                    ("Persyaratan", T),
                    ("Jangka waktu penyelesaian", T),
                    ("Biaya/tarif", T),
                    ("Merek komputer loket", F),
                ],
                "Standar pelayanan memuat persyaratan, prosedur, waktu, biaya, produk, dan pengaduan.",
            ),
            (
                "Maklumat pelayanan adalah...",
                "single",
                [
                    ("Janji tertulis penyelenggara untuk memenuhi standar pelayanan", T),
                    ("Daftar nama petugas", F),
                    ("Laporan keuangan unit", F),
                ],
                "",
            ),
            (
                "Saat melayani warga tunanetra yang datang bersama pendamping, petugas sebaiknya...",
                "single",
                [
                    ("Berbicara kepada pendamping saja", F),
                    ("Berbicara langsung kepada warga dan menanyakan bantuan yang dibutuhkan", T),
                    ("Meminta datang lagi besok", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "integritas-dan-antikorupsi",
        "title": "Integritas dan Antikorupsi",
        "competencies": [("M.1", 3)],
        "jp": 10,
        "modality": "e_learning",
        "summary": "Mengenali gratifikasi, konflik kepentingan dan benturan nilai dalam tugas sehari-hari, serta tahu cara melaporkannya.",
        "objectives": [
            "Membedakan gratifikasi yang wajib dilaporkan dan yang tidak.",
            "Mengenali situasi konflik kepentingan dan cara mengelolanya.",
            "Mengetahui saluran pelaporan pelanggaran (whistleblowing).",
        ],
        "lessons": [
            (
                "Memahami gratifikasi",
                20,
                [
                    "Gratifikasi adalah pemberian dalam arti luas: uang, barang, diskon, tiket, fasilitas penginapan, atau jamuan. Gratifikasi kepada pegawai negeri yang berhubungan dengan jabatan dan berlawanan dengan kewajibannya dianggap suap.",
                    "Gratifikasi yang diterima wajib dilaporkan kepada KPK atau Unit Pengendalian Gratifikasi paling lambat 30 hari kerja sejak diterima. Pelaporan membebaskan penerima dari ancaman pidana.",
                ],
                (
                    "warning",
                    "Menolak adalah pilihan terbaik. Bila tidak mungkin menolak, laporkan.",
                ),
            ),
            (
                "Konflik kepentingan",
                20,
                [
                    "Konflik kepentingan terjadi ketika kepentingan pribadi, keluarga, atau kelompok dapat memengaruhi keputusan jabatan. Contohnya memproses izin usaha milik saudara sendiri.",
                    "Cara mengelolanya: ungkapkan secara tertulis kepada atasan, mundur dari proses pengambilan keputusan terkait, dan dokumentasikan penggantinya.",
                ],
                (
                    "tip",
                    "Jika ragu apakah sebuah situasi termasuk konflik kepentingan, anggap saja termasuk dan laporkan.",
                ),
            ),
            (
                "Melaporkan pelanggaran",
                15,
                [
                    "Setiap instansi menyediakan saluran pengaduan pelanggaran yang menjamin kerahasiaan pelapor. Di Pemerintah Kota, laporan dapat disampaikan ke Inspektorat atau melalui aplikasi pengaduan.",
                    "Laporan yang baik memuat apa yang terjadi, kapan, di mana, siapa yang terlibat, dan bukti pendukung. Pelapor yang beritikad baik dilindungi dari pembalasan.",
                ],
                None,
            ),
        ],
        "quiz": [
            (
                "Batas waktu melaporkan gratifikasi yang diterima adalah...",
                "single",
                [("7 hari kerja", F), ("30 hari kerja", T), ("1 tahun", F)],
                "Paling lambat 30 hari kerja sejak diterima.",
            ),
            (
                "Manakah yang dapat termasuk gratifikasi?",
                "multiple",
                [
                    ("Voucher belanja dari pemohon izin", T),
                    ("Tiket perjalanan gratis dari rekanan", T),
                    ("Gaji bulanan dari negara", F),
                ],
                "",
            ),
            (
                "Anda diminta memproses izin usaha milik adik Anda. Apa yang paling tepat?",
                "single",
                [
                    ("Memprosesnya lebih cepat", F),
                    ("Mengungkapkan kepada atasan dan mundur dari proses", T),
                    ("Menolak permohonan", F),
                ],
                "Konflik kepentingan dikelola dengan pengungkapan dan pengunduran diri dari proses.",
            ),
            (
                "Isi laporan pelanggaran yang baik memuat...",
                "multiple",
                [
                    ("Apa, kapan, di mana, siapa", T),
                    ("Bukti pendukung", T),
                    ("Opini tentang kepribadian terlapor", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "kerja-sama-tim-lintas-unit",
        "title": "Kerja Sama Tim Lintas Unit",
        "competencies": [("M.2", 3)],
        "jp": 8,
        "modality": "klasikal",
        "summary": "Membangun koordinasi antar-perangkat daerah: kesepakatan peran, rapat yang efektif, dan berbagi data tanpa birokrasi berlebihan.",
        "objectives": [
            "Menyusun matriks peran (RACI) untuk kegiatan lintas unit.",
            "Memimpin rapat koordinasi yang menghasilkan keputusan.",
            "Menyelesaikan perbedaan pendapat antar-unit secara konstruktif.",
        ],
        "lessons": [
            (
                "Peran yang jelas",
                15,
                [
                    "Banyak kegiatan lintas unit tersendat karena tidak jelas siapa yang bertanggung jawab. Matriks RACI membagi peran: Responsible (mengerjakan), Accountable (bertanggung jawab akhir), Consulted (dimintai masukan), Informed (diberi tahu).",
                    "Untuk setiap keluaran hanya boleh ada satu pihak yang Accountable. Sepakati matriks ini di awal kegiatan dan bagikan ke semua unit.",
                ],
                (
                    "tip",
                    "Tuliskan matriks RACI di notulen rapat pertama agar menjadi rujukan bersama.",
                ),
            ),
            (
                "Rapat koordinasi yang efektif",
                20,
                [
                    "Rapat yang efektif memiliki tujuan tertulis, agenda yang dibagikan sebelumnya, dan peserta yang memang berwenang memutuskan. Akhiri rapat dengan daftar tindak lanjut: apa, siapa, kapan.",
                    "Perbedaan pendapat dibahas berdasarkan data dan tujuan bersama, bukan kepentingan unit masing-masing.",
                ],
                None,
            ),
        ],
        "quiz": [
            (
                "Dalam matriks RACI, berapa pihak yang boleh Accountable untuk satu keluaran?",
                "single",
                [("Satu", T), ("Dua", F), ("Semua unit", F)],
                "",
            ),
            (
                "Rapat koordinasi yang efektif ditutup dengan...",
                "single",
                [
                    ("Foto bersama", F),
                    ("Daftar tindak lanjut: apa, siapa, kapan", T),
                    ("Rencana rapat berikutnya saja", F),
                ],
                "",
            ),
            (
                "Dasar terbaik untuk menyelesaikan perbedaan pendapat antar-unit adalah...",
                "multiple",
                [("Data", T), ("Tujuan bersama", T), ("Senioritas unit", F)],
                "",
            ),
        ],
    },
    {
        "slug": "pengambilan-keputusan-berbasis-data",
        "title": "Pengambilan Keputusan Berbasis Data",
        "competencies": [("M.8", 3)],
        "jp": 16,
        "modality": "e_learning",
        "summary": "Merumuskan masalah, membaca data layanan dan kinerja, menimbang alternatif, dan mempertanggungjawabkan keputusan.",
        "objectives": [
            "Merumuskan masalah dalam bentuk pertanyaan yang dapat dijawab dengan data.",
            "Membaca tabel dan grafik sederhana dengan benar.",
            "Membandingkan alternatif dengan kriteria yang ditetapkan lebih dulu.",
        ],
        "lessons": [
            (
                "Merumuskan masalah",
                20,
                [
                    "Keputusan yang baik dimulai dari rumusan masalah yang tepat. \u201cAntrean panjang\u201d adalah gejala; rumusan masalahnya bisa \u201cmengapa waktu tunggu rata-rata naik dari 20 menjadi 45 menit sejak Maret?\u201d",
                    "Rumusan yang spesifik menunjukkan data apa yang perlu dikumpulkan: jumlah pengunjung per jam, jumlah petugas yang bertugas, jenis layanan yang diminta.",
                ],
                (
                    "tip",
                    "Tulis masalah sebagai pertanyaan yang jawabannya berupa angka atau perbandingan.",
                ),
            ),
            (
                "Membaca data dengan benar",
                25,
                [
                    "Perhatikan sumber, periode, dan satuan data sebelum menarik kesimpulan. Rata-rata dapat menyesatkan bila ada nilai ekstrem; lihat juga median dan sebarannya.",
                    "Korelasi bukan sebab-akibat: kenaikan pengaduan bersamaan dengan pergantian aplikasi belum tentu disebabkan oleh aplikasi tersebut.",
                ],
                (
                    "warning",
                    "Jangan membandingkan dua periode yang panjangnya berbeda tanpa menyesuaikan satuan.",
                ),
            ),
            (
                "Menimbang alternatif",
                20,
                [
                    "Tetapkan kriteria (biaya, waktu, dampak bagi warga, risiko) sebelum melihat alternatif, lalu beri bobot dan nilai setiap alternatif. Cara ini mengurangi bias memilih alternatif favorit lebih dulu.",
                    "Dokumentasikan alasan keputusan agar dapat dievaluasi kembali ketika data baru tersedia.",
                ],
                None,
            ),
        ],
        "quiz": [
            (
                "Manakah rumusan masalah yang paling dapat dijawab dengan data?",
                "single",
                [
                    ("Pelayanan kurang baik", F),
                    (
                        "Mengapa waktu tunggu rata-rata naik dari 20 menjadi 45 menit sejak Maret?",
                        T,
                    ),
                    ("Petugas malas", F),
                ],
                "",
            ),
            (
                "Kapan median lebih tepat daripada rata-rata?",
                "single",
                [
                    ("Saat ada nilai ekstrem", T),
                    ("Saat data sedikit sekali", F),
                    ("Tidak pernah", F),
                ],
                "",
            ),
            (
                "Mengapa kriteria ditetapkan sebelum melihat alternatif?",
                "single",
                [
                    ("Agar rapat lebih singkat", F),
                    ("Untuk mengurangi bias terhadap alternatif favorit", T),
                    ("Karena diwajibkan undang-undang", F),
                ],
                "",
            ),
            (
                "Pernyataan yang benar tentang korelasi adalah...",
                "multiple",
                [
                    ("Korelasi tidak selalu berarti sebab-akibat", T),
                    ("Dua hal yang terjadi bersamaan bisa disebabkan faktor lain", T),
                    ("Korelasi selalu membuktikan penyebab", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "orientasi-hasil-manajemen-kinerja",
        "title": "Orientasi pada Hasil dan Manajemen Kinerja",
        "competencies": [("M.4", 3)],
        "jp": 12,
        "modality": "blended",
        "summary": "Menyusun SKP yang berorientasi hasil, memantau capaian bersama atasan, dan menindaklanjuti hasil evaluasi kinerja.",
        "objectives": [
            "Membedakan kegiatan, keluaran, dan hasil dalam rencana kinerja.",
            "Menyusun indikator kinerja yang terukur.",
            "Melakukan dialog kinerja berkala dengan atasan.",
        ],
        "lessons": [
            (
                "Dari kegiatan ke hasil",
                20,
                [
                    "Kegiatan adalah apa yang dikerjakan (menyelenggarakan sosialisasi), keluaran adalah produk langsungnya (300 warga mengikuti sosialisasi), dan hasil adalah perubahan yang diharapkan (cakupan imunisasi naik menjadi 95%).",
                    "SKP yang baik menautkan rencana hasil kerja pegawai dengan hasil kerja atasan sehingga kontribusinya terhadap tujuan organisasi terlihat jelas.",
                ],
                (
                    "info",
                    "Tanyakan \u201clalu apa?\u201d pada setiap kegiatan sampai menemukan hasil yang berarti bagi warga.",
                ),
            ),
            (
                "Indikator dan dialog kinerja",
                20,
                [
                    "Indikator yang baik spesifik, terukur, dapat dicapai, relevan, dan berbatas waktu. Contoh: \u201c90% permohonan akta kelahiran selesai dalam 1 hari kerja pada triwulan III\u201d.",
                    "Dialog kinerja dengan atasan dilakukan berkala, membahas capaian, hambatan, dan dukungan yang dibutuhkan, termasuk pengembangan kompetensi.",
                ],
                None,
            ),
        ],
        "quiz": [
            (
                "\u201cCakupan imunisasi naik menjadi 95%\u201d adalah contoh...",
                "single",
                [("Kegiatan", F), ("Keluaran", F), ("Hasil", T)],
                "",
            ),
            (
                "Ciri indikator kinerja yang baik adalah...",
                "multiple",
                [("Terukur", T), ("Berbatas waktu", T), ("Seumum mungkin", F)],
                "",
            ),
            (
                "Dialog kinerja dengan atasan sebaiknya dilakukan...",
                "single",
                [
                    ("Hanya di akhir tahun", F),
                    ("Berkala sepanjang tahun", T),
                    ("Bila ada masalah saja", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "mengelola-perubahan-organisasi-publik",
        "title": "Mengelola Perubahan di Organisasi Publik",
        "competencies": [("M.7", 3)],
        "jp": 10,
        "modality": "e_learning",
        "summary": "Memahami reaksi terhadap perubahan, mengomunikasikan alasan perubahan, dan menjaga layanan tetap berjalan selama transisi, misalnya saat digitalisasi layanan.",
        "objectives": [
            "Mengenali tahapan reaksi pegawai terhadap perubahan.",
            "Menyusun pesan perubahan yang menjelaskan alasan dan manfaatnya.",
            "Merencanakan masa transisi agar layanan tidak terganggu.",
        ],
        "lessons": [
            (
                "Mengapa orang menolak perubahan",
                15,
                [
                    "Penolakan terhadap perubahan wajar: orang kehilangan kebiasaan yang nyaman dan khawatir tidak mampu dengan cara baru. Penolakan biasanya berkurang bila alasan perubahan dipahami dan ada dukungan belajar.",
                    "Libatkan pegawai yang paling terdampak sejak awal, misalnya petugas loket ketika layanan dipindahkan ke aplikasi.",
                ],
                None,
            ),
            (
                "Merencanakan transisi",
                20,
                [
                    "Masa transisi membutuhkan rencana: layanan lama tetap tersedia untuk sementara, petugas pendamping disiapkan, dan masalah yang muncul dicatat serta diselesaikan setiap hari.",
                    "Umumkan perubahan kepada warga jauh hari, sertakan panduan bergambar, dan siapkan saluran bantuan.",
                ],
                (
                    "tip",
                    "Tetapkan \u201cduta perubahan\u201d di setiap unit yang menjadi tempat bertanya rekan kerja.",
                ),
            ),
        ],
        "quiz": [
            (
                "Penolakan terhadap perubahan biasanya berkurang bila...",
                "multiple",
                [
                    ("Alasan perubahan dipahami", T),
                    ("Tersedia dukungan belajar", T),
                    ("Perubahan dirahasiakan", F),
                ],
                "",
            ),
            (
                "Selama transisi ke layanan daring, layanan tatap muka sebaiknya...",
                "single",
                [
                    ("Langsung dihentikan", F),
                    ("Tetap tersedia untuk sementara dengan pendamping", T),
                    ("Dikenakan biaya tambahan", F),
                ],
                "",
            ),
            (
                "Siapa yang sebaiknya dilibatkan paling awal?",
                "single",
                [
                    ("Pegawai yang paling terdampak", T),
                    ("Vendor aplikasi saja", F),
                    ("Tidak perlu melibatkan siapa pun", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "coaching-mentoring-untuk-atasan",
        "title": "Coaching dan Mentoring untuk Atasan",
        "competencies": [("M.6", 3)],
        "jp": 16,
        "modality": "klasikal",
        "summary": "Keterampilan atasan langsung dalam membimbing bawahan: percakapan coaching model GROW, umpan balik yang membangun, dan rencana pengembangan individu.",
        "objectives": [
            "Melakukan percakapan coaching dengan model GROW.",
            "Memberi umpan balik yang spesifik dan dapat ditindaklanjuti.",
            "Menyusun rencana pengembangan bersama bawahan dari hasil penilaian kompetensi.",
        ],
        "lessons": [
            (
                "Model GROW",
                25,
                [
                    "GROW adalah kerangka percakapan coaching: Goal (apa yang ingin dicapai), Reality (bagaimana keadaan sekarang), Options (pilihan apa saja yang ada), dan Will (apa yang akan dilakukan dan kapan).",
                    "Dalam coaching, atasan lebih banyak bertanya daripada memberi jawaban. Pertanyaan terbuka membantu bawahan menemukan solusinya sendiri sehingga lebih berkomitmen menjalankannya.",
                ],
                (
                    "tip",
                    "Contoh pertanyaan Options: \u201cKalau tidak ada batasan, apa yang akan kamu coba?\u201d",
                ),
            ),
            (
                "Umpan balik yang membangun",
                20,
                [
                    "Umpan balik efektif menjelaskan situasi, perilaku yang diamati, dan dampaknya (model SBI). Hindari label kepribadian seperti \u201ckamu ceroboh\u201d.",
                    "Berikan umpan balik sesegera mungkin setelah kejadian dan di tempat yang sesuai: pujian boleh di depan tim, koreksi sebaiknya secara pribadi.",
                ],
                None,
            ),
            (
                "Rencana pengembangan individu",
                20,
                [
                    "Hasil penilaian kompetensi di SIKAP menunjukkan kesenjangan setiap bawahan. Gunakan kesenjangan itu sebagai bahan diskusi: kompetensi mana yang paling berpengaruh pada pekerjaannya sekarang?",
                    "Rencana pengembangan mencakup pelatihan (misalnya modul di katalog), penugasan yang menantang, dan pendampingan. Ingat hak setiap ASN atas minimal 20 JP pengembangan kompetensi per tahun.",
                ],
                (
                    "info",
                    "Di menu Tim Saya, atasan dapat melihat kesenjangan dan kemajuan pelatihan bawahan langsung.",
                ),
            ),
        ],
        "quiz": [
            (
                "Huruf \u201cO\u201d dalam model GROW berarti...",
                "single",
                [("Objective", F), ("Options", T), ("Outcome", F)],
                "",
            ),
            (
                "Unsur model umpan balik SBI adalah...",
                "multiple",
                [("Situasi", T), ("Perilaku", T), ("Dampak", T), ("Hukuman", F)],
                "",
            ),
            (
                "Koreksi atas kesalahan bawahan sebaiknya disampaikan...",
                "single",
                [
                    ("Di depan seluruh tim", F),
                    ("Secara pribadi dan segera", T),
                    ("Saat penilaian akhir tahun", F),
                ],
                "",
            ),
            (
                "Hak pengembangan kompetensi ASN per tahun minimal...",
                "single",
                [("10 JP", F), ("20 JP", T), ("40 JP", F)],
                "PP 17/2020: minimal 20 JP per tahun.",
            ),
        ],
    },
    {
        "slug": "wawasan-kebangsaan-perekat-bangsa",
        "title": "Wawasan Kebangsaan dan Perekat Bangsa",
        "competencies": [("SK.1", 2)],
        "jp": 8,
        "modality": "e_learning",
        "summary": "Peran ASN sebagai perekat dan pemersatu bangsa: netralitas, toleransi, dan pelayanan yang tidak diskriminatif di tengah masyarakat yang majemuk.",
        "objectives": [
            "Menjelaskan peran ASN sebagai perekat dan pemersatu bangsa.",
            "Menerapkan prinsip netralitas dalam tugas dan media sosial.",
            "Melayani tanpa membedakan suku, agama, ras, dan golongan.",
        ],
        "lessons": [
            (
                "ASN sebagai perekat bangsa",
                15,
                [
                    "Undang-Undang ASN menempatkan pegawai sebagai pelaksana kebijakan publik, pelayan publik, dan perekat serta pemersatu bangsa. Di daerah yang majemuk, sikap petugas menjadi wajah negara bagi warga.",
                    "Pelayanan yang adil kepada setiap warga, tanpa memandang latar belakang, memperkuat kepercayaan masyarakat kepada pemerintah.",
                ],
                None,
            ),
            (
                "Netralitas dan media sosial",
                15,
                [
                    "ASN dilarang berpihak dalam kegiatan politik praktis, termasuk memberi tanda suka atau membagikan materi kampanye di media sosial.",
                    "Bijak bermedia sosial juga berarti tidak menyebarkan informasi yang belum diverifikasi dan tidak mengunggah ujaran yang merendahkan kelompok tertentu.",
                ],
                ("warning", "Pelanggaran netralitas dapat dikenai sanksi disiplin."),
            ),
        ],
        "quiz": [
            (
                "Peran ASN menurut Undang-Undang ASN meliputi...",
                "multiple",
                [
                    ("Pelaksana kebijakan publik", T),
                    ("Pelayan publik", T),
                    ("Perekat dan pemersatu bangsa", T),
                    ("Juru kampanye", F),
                ],
                "",
            ),
            (
                "Membagikan materi kampanye calon kepala daerah di media sosial pribadi bagi ASN...",
                "single",
                [
                    ("Boleh di luar jam kerja", F),
                    ("Melanggar prinsip netralitas", T),
                    ("Boleh bila tanpa komentar", F),
                ],
                "",
            ),
            (
                "Sebelum membagikan informasi di media sosial, ASN sebaiknya...",
                "single",
                [
                    ("Memverifikasi kebenarannya", T),
                    ("Menunggu banyak yang membagikan", F),
                    ("Menambahkan opini pribadi", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "surveilans-epidemiologi-dasar",
        "title": "Surveilans Epidemiologi Dasar",
        "competencies": [("T.KES.01", 3)],
        "jp": 20,
        "modality": "blended",
        "summary": "Pengumpulan, pengolahan dan analisis data penyakit di puskesmas untuk kewaspadaan dini dan respons kejadian luar biasa (KLB).",
        "objectives": [
            "Menjelaskan siklus surveilans: pengumpulan, pengolahan, analisis, diseminasi.",
            "Menghitung insidens dan attack rate sederhana.",
            "Mengenali sinyal peringatan dini KLB dari data mingguan.",
        ],
        "lessons": [
            (
                "Siklus surveilans",
                25,
                [
                    "Surveilans epidemiologi adalah kegiatan analisis yang sistematis dan terus-menerus terhadap penyakit dan faktor yang memengaruhinya, untuk mengarahkan tindakan penanggulangan yang efektif.",
                    "Siklusnya terdiri atas pengumpulan data (misalnya laporan mingguan W2 dari puskesmas), pengolahan dan analisis, interpretasi, serta diseminasi informasi kepada pengambil keputusan dan masyarakat.",
                ],
                (
                    "info",
                    "Data tanpa tindak lanjut bukan surveilans, melainkan sekadar pencatatan.",
                ),
            ),
            (
                "Ukuran frekuensi penyakit",
                30,
                [
                    "Insidens adalah jumlah kasus baru dalam periode tertentu dibagi jumlah penduduk berisiko. Attack rate adalah insidens selama periode wabah, biasanya dinyatakan dalam persen.",
                    "Contoh: 12 kasus diare dari 240 peserta hajatan memberi attack rate 5%. Bandingkan antar-kelompok (yang makan hidangan A dan tidak) untuk mencari sumber penularan.",
                ],
                (
                    "tip",
                    "Selalu tuliskan pembilang, penyebut, dan periode agar angka dapat dibandingkan.",
                ),
            ),
            (
                "Kewaspadaan dini KLB",
                25,
                [
                    "Sistem Kewaspadaan Dini dan Respons (SKDR) memberi sinyal ketika jumlah kasus mingguan melampaui ambang batas, misalnya dua kali rata-rata minggu yang sama tahun-tahun sebelumnya.",
                    "Sinyal harus diverifikasi dalam 24 jam: apakah kasus benar, apakah ada pengelompokan waktu dan tempat. Bila terverifikasi, tim gerak cepat melakukan penyelidikan epidemiologi.",
                ],
                ("warning", "KLB tertentu wajib dilaporkan dalam 24 jam ke dinas kesehatan."),
            ),
        ],
        "quiz": [
            (
                "Urutan siklus surveilans yang benar adalah...",
                "single",
                [
                    (
                        "Pengumpulan \u2192 pengolahan dan analisis \u2192 interpretasi \u2192 diseminasi",
                        T,
                    ),
                    ("Diseminasi \u2192 pengumpulan \u2192 analisis", F),
                    ("Analisis \u2192 pengumpulan \u2192 pelaporan", F),
                ],
                "",
            ),
            (
                "12 kasus dari 240 peserta hajatan memberi attack rate...",
                "single",
                [("2%", F), ("5%", T), ("12%", F)],
                "12 / 240 = 0,05 = 5%.",
            ),
            (
                "Sinyal SKDR sebaiknya diverifikasi dalam...",
                "single",
                [("24 jam", T), ("1 minggu", F), ("1 bulan", F)],
                "",
            ),
            (
                "Hal yang diperiksa saat verifikasi sinyal adalah...",
                "multiple",
                [
                    ("Kebenaran kasus", T),
                    ("Pengelompokan waktu dan tempat", T),
                    ("Jumlah tenaga kesehatan yang cuti", F),
                ],
                "",
            ),
            (
                "Insidens dihitung dari...",
                "single",
                [
                    ("Kasus baru dibagi penduduk berisiko dalam periode tertentu", T),
                    ("Semua kasus lama dan baru", F),
                    ("Jumlah kematian", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "pelayanan-adminduk-terpadu",
        "title": "Pelayanan Administrasi Kependudukan Terpadu",
        "competencies": [("T.DUK.01", 3)],
        "jp": 16,
        "modality": "blended",
        "summary": "Pelayanan KTP-el, Kartu Keluarga dan akta pencatatan sipil secara terpadu dan daring, sesuai standar pelayanan dan Permendagri tentang persyaratan dan tata cara.",
        "objectives": [
            "Menjelaskan persyaratan dan alur layanan dokumen kependudukan utama.",
            "Melayani permohonan daring dan tanda tangan elektronik.",
            "Menjaga kerahasiaan data pribadi penduduk.",
        ],
        "lessons": [
            (
                "Layanan dokumen utama",
                25,
                [
                    "Dokumen kependudukan utama meliputi KTP-el, Kartu Keluarga, dan akta pencatatan sipil (kelahiran, kematian, perkawinan, perceraian). Layanan ini tidak dipungut biaya.",
                    "Layanan terpadu memungkinkan satu permohonan menghasilkan beberapa dokumen sekaligus, misalnya akta kelahiran, KK baru, dan Kartu Identitas Anak.",
                ],
                (
                    "info",
                    "Layanan administrasi kependudukan gratis. Pungutan apa pun adalah pelanggaran.",
                ),
            ),
            (
                "Layanan daring dan TTE",
                20,
                [
                    "Dokumen yang ditandatangani secara elektronik (TTE) dapat dicetak sendiri oleh warga di kertas HVS dan sah secara hukum. Jelaskan hal ini kepada warga yang masih meminta blangko khusus.",
                    "Petugas memverifikasi berkas unggahan: kejelasan pindaian, kesesuaian NIK, dan kelengkapan surat pengantar.",
                ],
                None,
            ),
            (
                "Perlindungan data pribadi",
                15,
                [
                    "Data kependudukan adalah data pribadi yang dilindungi Undang-Undang Pelindungan Data Pribadi. Jangan mengirim foto KK atau KTP warga melalui grup percakapan pribadi.",
                    "Akses ke aplikasi kependudukan hanya dengan akun sendiri; jangan meminjamkan kata sandi kepada rekan kerja.",
                ],
                ("warning", "Kebocoran data kependudukan dapat dikenai sanksi pidana."),
            ),
        ],
        "quiz": [
            (
                "Biaya penerbitan akta kelahiran adalah...",
                "single",
                [("Gratis", T), ("Rp50.000", F), ("Tergantung kelurahan", F)],
                "",
            ),
            (
                "Dokumen ber-TTE yang dicetak warga sendiri di kertas HVS...",
                "single",
                [("Tidak sah", F), ("Sah secara hukum", T), ("Harus dilegalisasi dulu", F)],
                "",
            ),
            (
                "Tindakan yang melanggar perlindungan data pribadi adalah...",
                "multiple",
                [
                    ("Mengirim foto KK warga ke grup percakapan pribadi", T),
                    ("Meminjamkan akun aplikasi kepada rekan", T),
                    ("Memverifikasi NIK pemohon di aplikasi resmi", F),
                ],
                "",
            ),
        ],
    },
    {
        "slug": "perizinan-berusaha-berbasis-risiko-oss",
        "title": "Perizinan Berusaha Berbasis Risiko melalui OSS",
        "competencies": [("T.PTSP.01", 3)],
        "jp": 12,
        "modality": "e_learning",
        "summary": "Memahami tingkat risiko usaha, Nomor Induk Berusaha (NIB), sertifikat standar, dan pendampingan pelaku usaha mikro dan kecil di sistem OSS RBA.",
        "objectives": [
            "Membedakan perizinan usaha risiko rendah, menengah, dan tinggi.",
            "Mendampingi pelaku UMK memperoleh NIB.",
            "Memantau pemenuhan kewajiban setelah izin terbit.",
        ],
        "lessons": [
            (
                "Tingkat risiko usaha",
                20,
                [
                    "Dalam perizinan berbasis risiko, jenis izin ditentukan oleh tingkat risiko kegiatan usaha (KBLI). Risiko rendah cukup NIB; risiko menengah rendah memerlukan NIB dan sertifikat standar pernyataan; risiko menengah tinggi memerlukan sertifikat standar terverifikasi; risiko tinggi memerlukan NIB dan izin.",
                    "Petugas membantu pelaku usaha memilih KBLI yang tepat karena kesalahan KBLI menyebabkan kewajiban yang salah.",
                ],
                (
                    "tip",
                    "Tanyakan apa yang sebenarnya dijual atau dikerjakan, bukan nama usahanya.",
                ),
            ),
            (
                "Pendampingan UMK",
                20,
                [
                    "Pelaku usaha mikro dan kecil sering belum terbiasa dengan layanan daring. Sediakan klinik pendampingan: bantu membuat akun OSS, mengisi data usaha, dan mengunduh NIB.",
                    "Setelah izin terbit, jelaskan kewajiban laporan kegiatan penanaman modal (LKPM) dan pengawasan berkala.",
                ],
                None,
            ),
        ],
        "quiz": [
            (
                "Usaha risiko rendah memerlukan...",
                "single",
                [("NIB saja", T), ("NIB dan izin", F), ("Sertifikat standar terverifikasi", F)],
                "",
            ),
            (
                "Jenis izin dalam OSS RBA ditentukan oleh...",
                "single",
                [
                    ("Besarnya modal saja", F),
                    ("Tingkat risiko kegiatan usaha (KBLI)", T),
                    ("Lokasi kantor petugas", F),
                ],
                "",
            ),
            (
                "Bentuk pendampingan UMK yang tepat adalah...",
                "multiple",
                [
                    ("Membantu membuat akun OSS", T),
                    ("Menjelaskan kewajiban setelah izin terbit", T),
                    ("Mengisi data usaha tanpa sepengetahuan pemilik", F),
                ],
                "",
            ),
        ],
    },
]

# Variants for the city-scale catalog (40 modules): (title suffix, slug suffix, level shift, JP)
VARIANTS = [
    ("Tingkat Lanjut", "lanjut", 1, 16),
    ("untuk Pejabat Pengawas", "pengawas", 1, 12),
    ("Kelas Praktik", "praktik", 0, 8),
    ("Angkatan II", "angkatan-2", 0, None),
]


def variant_lessons(title: str) -> list[tuple]:
    """The practice lessons a city-scale variant adds after its base lessons (the quiz moves to
    the last one): case study, applying it at work, reflection."""
    return [
        (
            "Studi kasus di perangkat daerah",
            20,
            [
                f"Pelajaran ini membahas penerapan materi {title} pada kasus nyata di perangkat daerah Kota Serang: apa yang terjadi, keputusan apa yang diambil, dan apa hasilnya bagi warga.",
                "Bacalah kasusnya dengan teliti, lalu catat tiga hal: masalah utama, langkah yang sudah tepat, dan langkah yang masih bisa diperbaiki.",
                "Bandingkan catatan Anda dengan pembahasan di akhir pelajaran. Tidak ada satu jawaban yang benar; yang penting alasannya sesuai prinsip yang sudah dipelajari.",
            ],
            (
                "info",
                "Kasus disusun dari pengalaman unit layanan dan telah disamarkan; nama orang dan tempat bukan nama sebenarnya.",
            ),
        ),
        (
            "Latihan penerapan di tempat kerja",
            25,
            [
                "Pilih satu pekerjaan rutin di unit Anda yang berkaitan dengan materi ini. Tuliskan bagaimana pekerjaan itu dilakukan sekarang dan satu perbaikan kecil yang bisa dicoba dalam dua minggu.",
                "Diskusikan rencana perbaikan itu dengan atasan langsung. Sepakati ukuran keberhasilannya, misalnya waktu layanan, jumlah keluhan, atau jumlah berkas yang dikembalikan.",
            ],
            (
                "tip",
                "Perbaikan kecil yang konsisten lebih berguna daripada rencana besar yang tidak pernah dimulai.",
            ),
        ),
        (
            "Refleksi dan kuis akhir",
            15,
            [
                "Setelah mencoba rencana perbaikan, tuliskan apa yang berjalan baik dan apa yang perlu diubah. Bagikan pengalaman Anda di forum diskusi modul agar rekan lain dapat belajar.",
                "Kerjakan kuis akhir untuk memastikan pemahaman Anda. Anda boleh mengulang kuis; nilai terbaik yang dicatat.",
            ],
            None,
        ),
    ]
