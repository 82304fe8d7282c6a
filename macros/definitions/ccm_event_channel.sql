{#- A knowledge-base look-up, a recommendation or a survey response names the contact or the
    bot session it happened in, and takes that one's channel: the contact's when it names one
    that arrived, else the bot session's. The joins bring the contacts and bot sessions in as
    `contacts` and `bot_sessions`, so a model can read their other columns too.
    contacts_started_from (a timestamp expression) joins only the contacts that started from it
    on, for a caller that knows its events name no earlier contact: the engine then reads those
    alone instead of every contact. -#}
{% macro ccm_join_event_interactions(events, contacts_started_from=none) -%}
    left join {{ ref('stg_acd__contacts') }} as contacts
        on {{ events }}.contact_id = contacts.contact_id
        {%- if contacts_started_from is not none %}
            and contacts.started_at >= {{ contacts_started_from }}
        {%- endif %}
    left join {{ ref('stg_bot__sessions') }} as bot_sessions
        on {{ events }}.bot_session_id = bot_sessions.bot_session_id
{%- endmacro %}

{#- unmatched: the channel of an event that names neither, or whose contact or session never
    arrived (a string literal); by default null. -#}
{% macro ccm_event_channel(unmatched=none) -%}
    coalesce(
        contacts.channel,
        bot_sessions.channel
        {%- if unmatched is not none %},
        '{{ unmatched }}'
        {%- endif %}
    )
{%- endmacro %}
