{#- What the landing deliveries cover, per source, and where the data ends.
    A source with no row was never delivered: the metrics that need it are not available
    (null), never 0. Each landing file holds the rows of one UTC day of the source's day
    column (the guard quarantines the others), so the first and last day here are the first
    and last delivered days. For contacts that day is the file's own day (batch_date): the data
    ends at midnight UTC after the last delivered day, and a reporting day is complete when it
    lies wholly between the start of the first delivered day and that end, in the reporting
    time zone (var reporting_timezone). A time zone west of UTC cuts the last UTC day into a
    partial local day; one east of it starts a partial local day at the end. -#}
{%- set landing_sources = [
    ('contacts', 'acd', 'stg_acd__contacts', 'batch_date'),
    ('agent_states', 'acd', 'stg_acd__agent_states', 'started_at'),
    ('bot_sessions', 'bot', 'stg_bot__sessions', 'started_at'),
    ('surveys', 'survey', 'stg_survey__responses', 'responded_at'),
    ('customers', 'crm', 'stg_crm__customers', 'record_updated_at'),
    ('agents', 'wfm', 'stg_wfm__agents', 'record_updated_at'),
    ('schedules', 'wfm', 'stg_wfm__schedules', 'starts_at'),
    ('qa_evaluations', 'qa', 'stg_qa__evaluations', 'evaluated_at'),
    ('kb_events', 'kb', 'stg_kb__events', 'occurred_at'),
    ('ai_recommendations', 'ai', 'stg_ai__recommendations', 'offered_at'),
    ('cost_lines', 'finance', 'stg_finance__cost_lines', 'cost_date'),
] -%}
with

source_days as (

    {% for source_name, system, model, day_column in landing_sources -%}
        select
            '{{ source_name }}' as source_name,
            '{{ system }}' as source_system,
            count(*) as row_count,
            min(cast({{ day_column }} as date)) as first_date,
            max(cast({{ day_column }} as date)) as last_date
        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

contacts_span as (

    select
        source_name,
        cast(first_date as timestamp) as data_starts_at,
        cast({{ dbt.dateadd('day', 1, 'last_date') }} as timestamp) as data_ends_at
    from source_days
    where source_name = 'contacts' and row_count > 0

),

contacts_local_span as (

    select
        source_name,
        data_starts_at,
        data_ends_at,
        {{ ccm_to_reporting_tz('data_starts_at') }} as local_starts_at,
        {{ ccm_to_reporting_tz('data_ends_at') }} as local_ends_at
    from contacts_span

),

complete_days as (

    select
        source_name,
        data_starts_at,
        data_ends_at,
        case
            when local_starts_at = cast(cast(local_starts_at as date) as timestamp)
                then cast(local_starts_at as date)
            else cast({{ dbt.dateadd('day', 1, 'cast(local_starts_at as date)') }} as date)
        end as first_complete_date,
        cast({{ dbt.dateadd('day', -1, 'cast(local_ends_at as date)') }} as date)
            as last_complete_date
    from contacts_local_span

),

final as (

    select
        cast(source_days.source_name as string) as source_name,
        cast(source_days.source_system as string) as source_system,
        cast(source_days.row_count as bigint) as row_count,
        cast(source_days.first_date as date) as first_date,
        cast(source_days.last_date as date) as last_date,
        cast(source_days.row_count > 0 as boolean) as is_delivered,
        cast(complete_days.data_starts_at as timestamp) as data_starts_at,
        cast(complete_days.data_ends_at as timestamp) as data_ends_at,
        cast(complete_days.first_complete_date as date) as first_complete_date,
        cast(complete_days.last_complete_date as date) as last_complete_date
    from source_days
    left join complete_days
        on source_days.source_name = complete_days.source_name

)

select * from final
