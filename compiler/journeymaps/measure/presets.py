"""Where each canonical field lives in the real exports of the help desks people use.

Every source is read into the same canonical columns (see :data:`CANONICAL`), so one set of
metric definitions serves them all. A preset says, for one help desk's export, which column
holds each field and how to read it; a ``custom`` source (or a preset's ``columns`` table)
says the same in the settings. A field a preset does not list is not in that export: the
metrics that need it are left out of the snapshot, never guessed.

Column names come from the vendors' export documentation and real exports:
- Zendesk: "Exporting data to a JSON, CSV, or XML file" (support.zendesk.com, article
  4408886165402), the CSV export's column table. Times are in the account's time zone.
- Freshdesk: the ticket export's field names as Freshdesk's helpkit names them
  (``display_id: 'Ticket ID'``, ``first_res_time_bhrs: 'First response time (in hrs)'``,
  ``outbound_count: 'Agent interactions'``, ``ticket_survey_results: 'Survey results'``...);
  durations are ``HH:MM:SS`` (hours with a decimal point, ``1.5``, read too: a spreadsheet's
  re-save), times in the exporting agent's time zone.
- Intercom: the reporting "Conversations" dataset CSV export, whose time columns carry the
  workspace's time zone in their header, e.g. ``Conversation started at (America/New_York)``;
  durations in seconds (``First response time (seconds)``, ``Time to close (seconds)``), its
  tags in ``Conversation tags`` (as public scripts over its CSV read them); a tickets report's
  creation is ``Ticket created (zone)`` and its resolution ``Ticket time to resolve (seconds)``
  (the columns of a real tickets report, listed by a public script that mimics one).
- Jira Service Management: Jira's "Export CSV (all fields)": ``Issue key``, ``Created``,
  ``Resolved`` in Jira's default ``21/Mar/24 10:15 AM`` format, a ``Labels`` column repeated
  once per label, ``Custom field (Request Type)``, ``Custom field (Satisfaction)`` (1-5; Jira
  Cloud's name, ``Satisfaction rating`` read too) and
  ``Custom field ([CHART] Date of First Response)``.
- HubSpot: a ticket view's CSV export, headed by the ticket properties' labels (HubSpot's
  "default ticket properties": ``Ticket ID``, ``Create date``, ``Close date``, ``Ticket
  status``, ``Pipeline``, ``Source``, ``Category``, ``HubSpot team``, ``First agent response
  date``, ``First contact resolution``), times as ``2026-03-01 15:17`` in the portal's time
  zone. Its durations (``Time to close``...) are left alone: the dates give the same minutes
  without a unit to guess. A multiple-checkbox value (``Category``) is ``a;b``, as HubSpot's
  import reads it (and as a form plugin found HubSpot's exports write it). A public sample
  export (a HubSpot-tickets dashboard's demo CSV) has the default view's columns, every value
  quoted, times as above and stages such as ``Closed Resolved``; the requester is ``All
  associated contact emails`` and a reopen ``Ticket reopen date``, both HubSpot-defined
  properties. ``Last CSAT survey rating`` is not read: its scale is the survey's, documented
  nowhere, so a rating would be guessed (map it in ``columns``). Every label above is in a
  portal's ticket property list published in a public repository, with its internal name and
  field type (``Category`` hs_ticket_category, a multiple checkbox; ``First contact
  resolution`` hs_is_one_touch_ticket, a single checkbox; ``First agent response date``
  hs_first_agent_message_sent_at; ``Ticket status`` hs_pipeline_stage), and the id, dates,
  status, category, pipeline and contact emails are read by those names by a public script
  over a 2025 ticket export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from journeymaps.records import record

#: The canonical ticket columns and their SQL types: what every ticket source becomes, and
#: what a SQL source's table (or view) must provide under these names (or map in `columns`).
CANONICAL: dict[str, str] = {
    "id": "VARCHAR",
    "created": "TIMESTAMP",  # local time of the source's time zone
    "first_reply": "DOUBLE",  # minutes from creation to the first agent reply
    "resolution": "DOUBLE",  # minutes from creation to (final) resolution
    "handle": "DOUBLE",  # minutes of agent handling time
    "tags": "VARCHAR",  # lower-case ",a,b," (see selectors.to_sql)
    "channel": "VARCHAR",
    "grp": "VARCHAR",  # group or team
    "form": "VARCHAR",  # ticket form, type or request type
    "requester": "VARCHAR",  # counted distinct, never written out
    "satisfied": "DOUBLE",  # 1 satisfied, 0 not, NULL no rating
    "reopens": "INTEGER",
    "escalated": "BOOLEAN",  # the ticket changed group (or was reassigned)
    "one_touch": "BOOLEAN",  # solved with one agent reply
    "solved": "BOOLEAN",
}

#: The canonical survey columns.
SURVEY_CANONICAL: dict[str, str] = {
    "id": "VARCHAR",
    "created": "TIMESTAMP",  # when the response was given
    "score": "DOUBLE",
    "ticket": "VARCHAR",  # the ticket it is about, when the export says
    "tags": "VARCHAR",
    "channel": "VARCHAR",
    "grp": "VARCHAR",
    "form": "VARCHAR",
}
#: What the settings call a canonical column (``group``), where SQL would be ambiguous.
FIELD_NAMES: dict[str, str] = {name: name for name in [*CANONICAL, *SURVEY_CANONICAL]} | {"grp": "group"}


@record
class Field:
    """How to read one canonical field from an export's text.

    ``column`` is the header; ``pattern`` instead matches headers by regular expression
    (a named group ``tz`` in it is the time zone the export wrote the header with), and
    ``multi`` collects every matching column (Jira repeats ``Labels`` once per label).
    """

    read: str  # see journeymaps.measure.sources.READERS
    column: str | None = None
    pattern: str | None = None
    multi: bool = False
    formats: tuple[str, ...] = ()  # strptime formats of a timestamp
    values: Mapping[str, float] = field(default_factory=dict)  # words -> value
    threshold: float | None = None  # a number at or above it counts (ratings, counts)
    since: str | None = None  # a timestamp: minutes since this field (created)
    #: A ``pattern``'s column as messages name it: its regular expression was quoted
    #: ("no column 'Labels(_\\d+)?'"), which says nothing to whoever exported the file.
    shown: str | None = None
    #: A timestamp: zones' names after a time and what they mean (an offset or an IANA name),
    #: beside the US ones (a source's ``zone-names``: CST as China Standard Time).
    zones: Mapping[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return self.column or self.shown or self.pattern or "?"


@record
class Preset:
    name: str
    title: str
    fields: dict[str, Field]
    #: False when the export's times carry no zone: the settings must name it.
    zone_in_header: bool = False


#: Each preset's formats of a time, ISO first (as exported), then as a spreadsheet in the
#: desk's locale re-saves it, to the minute or the second (3/1/2026 11:59:30 PM, AM or PM
#: read by any format); a year of two digits is read by each %Y too.
_US_TIME = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")
_ZENDESK_TIME = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", *_US_TIME)
_SOLVED: dict[str, float] = {"solved": 1, "closed": 1, "resolved": 1, "done": 1}
#: HubSpot shows its times month first (09/30/2026 11:00 PM EDT), as a US portal's
#: re-saved export writes them: read so, a date with a day over 12 saying which way round
#: (day_or_month). Read by DuckDB's cast instead, 3/1/26 11:59 PM was the year 3.
_HUBSPOT_TIME = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", *_US_TIME)
#: Jira's own (21/Mar/24 10:15 AM), then day first as its re-saved exports write them.
_JIRA_TIME = ("%d/%b/%y %I:%M %p", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "zendesk",
            "Zendesk ticket CSV export",
            {
                "id": Field("text", "Id"),
                "created": Field("timestamp", "Created at", formats=_ZENDESK_TIME),
                "first_reply": Field("minutes", "First reply time in minutes"),
                "resolution": Field("minutes", "Full resolution time in minutes"),
                "tags": Field("tags_space", "Tags"),
                "channel": Field("text", "Via"),
                "grp": Field("text", "Group"),
                "form": Field("text", "Ticket form"),
                "requester": Field("text", "Requester id"),
                # Not Offered / Offered are no rating; Good / Bad are.
                "satisfied": Field("words", "Satisfaction Score", values={"good": 1, "bad": 0}),
                "reopens": Field("integer", "Reopens"),
                # "The initial assignment upon ticket creation also counts as a station."
                "escalated": Field("at_least", "Group stations", threshold=2),
                "one_touch": Field("at_most", "Replies", threshold=1),
                "solved": Field("words", "Status", values=_SOLVED),
            },
        ),
        Preset(
            "freshdesk",
            "Freshdesk ticket export",
            {
                "id": Field("text", "Ticket ID"),
                "created": Field("timestamp", "Created time", formats=_ZENDESK_TIME),
                "first_reply": Field("hms", "First response time (in hrs)"),
                "resolution": Field("hms", "Resolution time (in hrs)"),
                "tags": Field("tags_comma", "Tags"),
                "channel": Field("text", "Source"),
                "grp": Field("text", "Group"),
                "form": Field("text", "Type"),
                "requester": Field("text", "Contact ID"),
                "satisfied": Field(
                    "words",
                    "Survey results",
                    values={
                        "awesome": 1,
                        "extremely satisfied": 1,
                        "very satisfied": 1,
                        "satisfied": 1,
                        "just okay": 0,
                        "neutral": 0,
                        "not good": 0,
                        "dissatisfied": 0,
                        "very dissatisfied": 0,
                        "extremely dissatisfied": 0,
                    },
                ),
                "one_touch": Field("at_most", "Agent interactions", threshold=1),
                "solved": Field("words", "Status", values=_SOLVED),
            },
        ),
        Preset(
            "intercom",
            "Intercom conversations export (reporting dataset)",
            {
                "id": Field("text", "Conversation ID"),
                # A conversation's start, or (a tickets report) the ticket's creation.
                "created": Field(
                    "timestamp",
                    pattern=r"(?:Conversation started at|Ticket created(?: at)?) \((?P<tz>[^)]+)\)",
                    # month first too, as HubSpot's: a US workspace's re-saved export
                    formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", *_US_TIME),
                    shown="Conversation started at (Area/City)",
                ),
                "first_reply": Field("seconds", "First response time (seconds)"),
                # A tickets report's is "Ticket time to resolve (seconds)" (beside "Ticket
                # created (zone)" and "Ticket last resolved (zone)"): ttr was not measured.
                "resolution": Field(
                    "seconds",
                    pattern=r"Time to close \(seconds\)|Ticket time to resolve \(seconds\)",
                    shown="Time to close (seconds)",
                ),
                "handle": Field("seconds", "Handling time (seconds)"),
                # "Conversation tags" as exported; "Conversation tag" as an earlier dataset named it.
                "tags": Field("tags_comma", pattern=r"Conversation tags?", shown="Conversation tags"),
                "channel": Field("text", "Channel"),
                "grp": Field("text", "Team currently assigned"),
                "form": Field("text", "Ticket type"),
                "requester": Field("text", "User ID"),
                "satisfied": Field("at_least", "Last teammate rating", threshold=4),
                "escalated": Field("at_least", "Number of reassignments", threshold=1),
                "one_touch": Field("words", "Resolved on first contact", values={"true": 1, "false": 0}),
                "solved": Field("words", "Current conversation state", values={"closed": 1}),
            },
            zone_in_header=True,
        ),
        Preset(
            "jira-service-management",
            "Jira Service Management CSV export (all fields)",
            {
                "id": Field("text", "Issue key"),
                "created": Field("timestamp", "Created", formats=_JIRA_TIME),
                "first_reply": Field(
                    "timestamp_since",
                    "Custom field ([CHART] Date of First Response)",
                    formats=_JIRA_TIME,
                    since="created",
                ),
                "resolution": Field(
                    "timestamp_since",
                    "Resolved",
                    formats=_JIRA_TIME,
                    since="created",
                ),
                "tags": Field("tags_columns", pattern=r"Labels(_\d+)?", multi=True, shown="Labels"),
                "form": Field("text", "Custom field (Request Type)"),
                "requester": Field("text", "Reporter"),
                # Jira Cloud's export names it "Custom field (Satisfaction)" (beside
                # "Custom field (Satisfaction date)"): csat was not measured from it.
                "satisfied": Field(
                    "at_least",
                    pattern=r"Satisfaction rating|Custom field \(Satisfaction\)",
                    threshold=4,
                    shown="Custom field (Satisfaction)",
                ),
                "solved": Field("words", "Status", values=_SOLVED),
            },
        ),
        Preset(
            "hubspot",
            "HubSpot ticket export",
            {
                "id": Field("text", "Ticket ID"),
                "created": Field("timestamp", "Create date", formats=_HUBSPOT_TIME),
                # hs_first_agent_message_sent_at, every channel's first reply ("First agent
                # email response date" is e-mail's only: a chat ticket had none).
                "first_reply": Field(
                    "timestamp_since", "First agent response date", formats=_HUBSPOT_TIME, since="created"
                ),
                "resolution": Field("timestamp_since", "Close date", formats=_HUBSPOT_TIME, since="created"),
                # "Main reason customer reached out for help": what tags say in other desks.
                "tags": Field("tags_labels", "Category"),
                "channel": Field("text", "Source"),
                "grp": Field("text", "HubSpot team"),
                # A pipeline per kind of request (support, billing, onboarding) in most portals.
                "form": Field("text", "Pipeline"),
                # hs_all_associated_contact_emails: the ticket's contacts ("a@x.com;b@y.com"
                # for several), HubSpot's own property, counted distinct as written.
                "requester": Field("text", "All associated contact emails"),
                # hs_ticket_reopened_at: when a ticket was last reopened, empty if never.
                "reopens": Field("present", "Ticket reopen date"),
                # hs_is_one_touch_ticket: "closed with just one agent message sent".
                "one_touch": Field(
                    "words", "First contact resolution", values={"true": 1, "false": 0, "yes": 1, "no": 0}
                ),
                # The default pipeline's last stage is Closed; a portal's own stages are named
                # as it likes ("Closed Resolved" in a real export): read by their first word too.
                "solved": Field("stage", "Ticket status", values=_SOLVED),
            },
        ),
    )
}

#: How a ``custom`` source (or a ``columns`` override) reads each field by default.
CUSTOM_READS: dict[str, str] = {
    "id": "text",
    "created": "timestamp",
    "first_reply": "minutes",
    "resolution": "minutes",
    "handle": "minutes",
    "tags": "tags_comma",
    "channel": "text",
    "grp": "text",
    "form": "text",
    "requester": "text",
    "satisfied": "at_least",
    "reopens": "integer",
    "escalated": "at_least",
    "one_touch": "at_most",
    "solved": "words",
    "score": "number",
    "ticket": "text",
}

#: The survey preset: a plain CSV of responses (Delighted, Typeform, Qualtrics exports map
#: to it with `columns`).
SURVEY_DEFAULTS: dict[str, Field] = {
    "id": Field("text", "id"),
    "created": Field("timestamp", "responded_at"),
    "score": Field("number", "score"),
    "ticket": Field("text", "ticket_id"),
    "tags": Field("tags_comma", "tags"),
    "channel": Field("text", "channel"),
    "grp": Field("text", "group"),
    "form": Field("text", "touchpoint"),
}
