"""The question bank for /prep, written for peerpath from the topics career guides recommend.

Questions are grouped by topic so /prep can offer a balanced handful: a real
conversation covers the day-to-day, the path in, what is hard, and who else
to talk to. Some fields get questions of their own (:data:`FIELDS`): the same topics
asked the way that field works — licences in healthcare, portfolios in design, exams and
long hiring in the public sector. Every list ends by asking for advice and two names.
"""

from __future__ import annotations

import re
from typing import NamedTuple

QUESTIONS: dict[str, tuple[str, ...]] = {
    "the day-to-day": (
        "What does an ordinary day look like for you, from the first hour to the last?",
        "Which parts of your week take the most time, and which matter the most?",
    ),
    "getting in": (
        "How did you end up in this line of work?",
        "What training, courses or credentials helped most, and which turned out optional?",
    ),
    "what it takes": (
        "Which skills or personal qualities make someone good at this job?",
        "Which skills are employers asking for more of lately?",
    ),
    "satisfaction": (
        "What do you find most rewarding here, and what is hardest?",
        "What do you wish you had known before you started?",
    ),
    "growth and pay": (
        "What does moving up usually look like, and how long does it take?",
        "What range of pay is typical for someone starting out in this field?",
    ),
    "the field": (
        "Where do you see this field heading in the next few years?",
        "Which kinds of employers hire for this: companies, non-profits, government?",
    ),
    "advice and names": (
        "If you were in my position, what would you do next?",
        "Who are two other people you think I should talk to, and may I mention your name?",
    ),
}

REMINDERS = (
    "Research the field and the person first, so you don't spend their time on the basics.",
    "Ask for 20-30 minutes and keep to it; offer to end on time.",
    "You are there for advice and information — never ask for a job.",
    "Before you leave, ask for two more names and whether you may use theirs.",
    "Write down what you learned right afterwards, then send a thank-you within a week "
    "(24-48 hours is best).",
)


def handful() -> list[str]:
    """One question per topic: seven prompts that cover a whole conversation."""
    return [questions[0] for questions in QUESTIONS.values()]


def for_conversation(field: str | None) -> tuple[list[str], bool]:
    """What /prep asks for ``field``: the field's own questions then the advice-and-names
    ones, or the general set when there are none (second: whether they are the field's)."""
    found = for_field(field)
    if found is None:
        return handful(), False
    return [*found.questions, *QUESTIONS["advice and names"]], True


def for_practice(field: str | None) -> list[str]:
    """Three of /prep's questions for a practice conversation about ``field``."""
    return for_conversation(field)[0][:3]


class FieldQuestions(NamedTuple):
    """Questions for one field, and the words that say a member means it."""

    name: str
    words: tuple[str, ...]
    questions: tuple[str, ...]


# Checked in this order: "public health" is healthcare, "fintech" finance, "product
# design" design.
FIELDS = (
    FieldQuestions(
        "healthcare",
        (
            "health",
            "healthcare",
            "medical",
            "medicine",
            "nurse",
            "nursing",
            "doctor",
            "physician",
            "hospital",
            "clinical",
            "clinic",
            "pharmacy",
            "pharma",
            "paramedic",
            "therapist",
            "therapy",
            "dental",
            "care",
        ),
        (
            "What does a shift or an ordinary day look like, and how predictable is the schedule?",
            "Which licences, certifications or clinical hours does this role need, and in "
            "what order did you get them?",
            "What is hardest about the patient-facing side of the work, and how do people "
            "in your team cope with it?",
            "How does the work differ between hospitals, clinics, community care and public "
            "health?",
            "Where can someone go from this role: a specialism, management, teaching?",
            "Which employers train newcomers well, and is there demand for new people now?",
        ),
    ),
    FieldQuestions(
        "finance",
        (
            "finance",
            "financial",
            "fintech",
            "bank",
            "banking",
            "accounting",
            "accountant",
            "audit",
            "auditing",
            "investment",
            "investing",
            "insurance",
            "actuarial",
            "tax",
        ),
        (
            "What does an ordinary day involve — analysis, clients, reporting — and how do "
            "busy seasons change it?",
            "Which qualifications or professional exams matter here, and when should someone "
            "start them?",
            "Which entry-level positions teach the most, and how do people usually move up "
            "from them?",
            "How do banks, insurers, corporate finance teams and small firms differ as places "
            "to start?",
            "Which skills set new people apart: modelling, regulation, explaining numbers to "
            "people who aren't in finance?",
            "How are automation and new rules changing this work?",
        ),
    ),
    FieldQuestions(
        "design",
        (
            "design",
            "designer",
            "ux",
            "ui",
            "graphic",
            "graphics",
            "visual",
            "interaction",
            "illustration",
            "illustrator",
            "branding",
            "typography",
            "user research",
            "researcher",
        ),
        (
            "How does a project move from brief to finished work here, and which part takes "
            "most of your time?",
            "What makes a portfolio stand out when you review one, and what makes you stop "
            "reading?",
            "Which tools and methods — research, prototyping, testing — does your team rely on?",
            "How do in-house teams, agencies, small studios and freelancing compare for "
            "someone starting out?",
            "How do designers here work with engineers, product people and clients, and where "
            "does friction come from?",
            "Which design roles are growing, and which are shrinking?",
        ),
    ),
    FieldQuestions(
        "technology",
        (
            "tech",
            "technology",
            "software",
            "developer",
            "engineering",
            "programming",
            "data",
            "it",
            "cloud",
            "cyber",
            "security",
            "devops",
            "machine",
            "ai",
            "web",
            "product",
        ),
        (
            "What does a normal week on your team look like: how much is building, and how "
            "much is meetings, reviews and support?",
            "Which languages, tools or platforms do you use most, and which would you learn "
            "first in my place?",
            "How much did a degree matter for getting in, compared with projects, courses or "
            "certificates?",
            "What do hiring teams look for in someone's first role here, and what does the "
            "technical interview involve?",
            "Which changes — new tools, automation, AI — are reshaping the work, and how is "
            "your team adapting?",
            "Which entry-level roles teach the most in the first two years?",
        ),
    ),
    FieldQuestions(
        "education",
        (
            "education",
            "teacher",
            "teaching",
            "school",
            "schools",
            "university",
            "academic",
            "academia",
            "tutor",
            "tutoring",
            "instructional",
            "professor",
            "lecturer",
            "curriculum",
            "training",
        ),
        (
            "What fills your week besides teaching itself: planning, marking, meetings, families?",
            "Which certification or degree route into this work would you recommend, and how "
            "long does it take?",
            "How do schools, universities, training companies and education non-profits "
            "differ as employers?",
            "What is most rewarding about working with learners, and what wears people down?",
            "How do pay and advancement usually work here: steps, tenure, a move into leadership?",
            "Where is the demand right now — which subjects, levels or regions?",
        ),
    ),
    FieldQuestions(
        "public sector",
        (
            "government",
            "public",
            "civil",
            "policy",
            "municipal",
            "federal",
            "council",
            "ministry",
            "agency",
            "state",
            "nonprofit",
            "non-profit",
            "ngo",
        ),
        (
            "What does your working day involve, and how much of it is shaped by policy, "
            "budgets or elections?",
            "How does hiring work here — applications, exams, security checks — and how long "
            "does it usually take?",
            "Which ways in (internships, fellowships, graduate schemes, contract roles) lead to "
            "permanent positions?",
            "How do grades and pay steps work, and how quickly do people move between them?",
            "What is most satisfying about public service, and what is most frustrating?",
            "How do agencies, non-profits and contractors working on the same issues differ as "
            "employers?",
        ),
    ),
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def for_field(text: str | None) -> FieldQuestions | None:
    """The field whose questions fit what the member typed ("UX research", "nursing"), or
    None: then the general set is the right one."""
    if not text:
        return None
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    for found in FIELDS:
        if any((w in words) if " " not in w else (w in lowered) for w in found.words):
            return found
    return None
