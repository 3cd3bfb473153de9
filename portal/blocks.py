"""StreamField blocks of lessons. Each block renders with its own template (templates/blocks/).

Quiz answers (which choice is right) live only in the stored block value; templates and the API
get the questions through ``portal.quiz.public_questions`` which strips them."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Info")), ("tip", _("Tips")), ("warning", _("Perhatian"))],
        default="info",
        label=capfirst(_("jenis")),
    )
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ul", "ol"], label=capfirst(_("isi"))
    )

    class Meta:
        icon = "warning"
        label = _("Kotak sorotan")
        template = "blocks/callout.html"


EMPTY_CHOICE = {"text": "", "correct": False}
EMPTY_QUESTION = {
    "text": "",
    "kind": "single",
    "choices": [EMPTY_CHOICE, EMPTY_CHOICE],
    "explanation": "",
}


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=capfirst(_("pilihan")), max_length=500)
    correct = blocks.BooleanBlock(label=capfirst(_("jawaban benar")), required=False)

    class Meta:
        label = _("Pilihan")


class QuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=capfirst(_("pertanyaan")))
    kind = blocks.ChoiceBlock(
        choices=[("single", _("Satu jawaban")), ("multiple", _("Beberapa jawaban"))],
        default="single",
        label=capfirst(_("jenis")),
    )
    # A new question starts with two empty choices (the minimum), ready to fill in.
    choices = blocks.ListBlock(
        ChoiceBlock(),
        min_num=2,
        default=[EMPTY_CHOICE, EMPTY_CHOICE],
        label=capfirst(_("pilihan jawaban")),
    )
    explanation = blocks.TextBlock(label=capfirst(_("penjelasan setelah dijawab")), required=False)

    class Meta:
        label = _("Pertanyaan")


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=capfirst(_("judul kuis")), default="Kuis")
    # A new quiz starts with one question (with its two empty choices).
    questions = blocks.ListBlock(
        QuestionBlock(), min_num=1, default=[EMPTY_QUESTION], label=capfirst(_("pertanyaan"))
    )

    partial_credit = blocks.BooleanBlock(
        label=capfirst(_("nilai parsial")),
        required=False,
        default=False,
        help_text=_(
            "Untuk pertanyaan beberapa jawaban: nilai per pertanyaan = (pilihan benar yang "
            "dipilih − pilihan salah yang dipilih) ÷ jumlah pilihan benar, paling kecil 0. "
            "Contoh: jawaban benar A dan B; memilih A saja bernilai 50%, A dan C 0%. Bila tidak "
            "dicentang, pertanyaan beberapa jawaban benar hanya bila semua pilihan benar "
            "dipilih dan tidak ada yang salah."
        ),
    )

    class Meta:
        icon = "form"
        label = _("Kuis")
        template = "blocks/quiz.html"

    def get_context(self, value, parent_context=None):
        """The template gets only the public questions: never which choice is right."""
        from .quiz import public_quiz

        context = super().get_context(value, parent_context=parent_context)
        questions = public_quiz(value)
        # After an attempt (portal.quiz.attempt_feedback): the learner's choices, right or
        # wrong per question and the explanation; never which choice is right.
        feedback = (parent_context or {}).get("quiz_feedback") or {}
        for question in questions:
            note = feedback.get(question["question_id"])
            question["feedback"] = note
            question["explanation"] = note["explanation"] if note else ""
            chosen = set(note["chosen"]) if note else set()
            for choice in question["choices"]:
                choice["checked"] = choice["id"] in chosen
        context["attempted"] = bool(feedback)
        context["partial_credit"] = bool(value.get("partial_credit"))
        context["questions"] = questions
        context["quiz_title"] = value.get("title") or _("Kuis")
        context.pop("value", None)
        context.pop("self", None)
        return context


class LessonStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        label=_("Judul bagian"),
        template="blocks/heading.html",
    )
    text = blocks.RichTextBlock(label=_("Teks"), template="blocks/text.html")
    image = ImageChooserBlock(label=_("Gambar"), template="blocks/image.html")
    video = EmbedBlock(label=_("Video"), template="blocks/video.html")
    document = DocumentChooserBlock(label=_("Dokumen unduhan"), template="blocks/document.html")
    callout = CalloutBlock()
    quiz = QuizBlock()
