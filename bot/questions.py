"""The question bank for /prep, written for peerpath from the topics career guides recommend.

Questions are grouped by topic so /prep can offer a balanced handful: a real
conversation covers the day-to-day, the path in, what is hard, and who else
to talk to.
"""

from __future__ import annotations

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
