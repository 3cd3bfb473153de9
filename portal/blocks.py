"""StreamField blocks of lessons. Each block renders with its own template (templates/blocks/).

Quiz answers (which choice is right) live only in the stored block value; templates and the API
get the questions through ``portal.quiz.public_questions`` which strips them."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Info")), ("tip", _("Tips")), ("warning", _("Perhatian"))],
        default="info",
        label=_("jenis"),
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"], label=_("isi"))

    class Meta:
        icon = "warning"
        label = _("Kotak sorotan")
        template = "blocks/callout.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("pilihan"), max_length=500)
    correct = blocks.BooleanBlock(label=_("jawaban benar"), required=False)

    class Meta:
        label = _("Pilihan")


class QuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("pertanyaan"))
    kind = blocks.ChoiceBlock(
        choices=[("single", _("Satu jawaban")), ("multiple", _("Beberapa jawaban"))],
        default="single",
        label=_("jenis"),
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("pilihan jawaban"))
    explanation = blocks.TextBlock(label=_("penjelasan setelah dijawab"), required=False)

    class Meta:
        label = _("Pertanyaan")


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul kuis"), default="Kuis")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("pertanyaan"))

    class Meta:
        icon = "form"
        label = _("Kuis")
        template = "blocks/quiz.html"

    def get_context(self, value, parent_context=None):
        """The template gets only the public questions: never which choice is right."""
        from .quiz import public_quiz

        context = super().get_context(value, parent_context=parent_context)
        questions = public_quiz(value)
        shown = (parent_context or {}).get("quiz_explanations") or {}
        for question in questions:
            question["explanation"] = shown.get(question["question_id"], "")
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
