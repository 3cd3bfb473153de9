"""The page tree: Beranda → Katalog Pelatihan, Panduan. Modules and help pages are added by
the training-portal part of the demo."""

from wagtail.models import Page, Site

from .models import HelpIndexPage, HomePage, TrainingCatalogPage

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


def run(ctx) -> None:
    ctx.shared["pages"] = ensure_page_tree()
