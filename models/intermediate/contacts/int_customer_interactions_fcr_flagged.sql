{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='interaction_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'ended_at'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'ended_at',
            'interaction_id',
            'select interaction_id from ' ~ ref('int_customer_interactions_unioned')
        ) }}"
    )
}}

{%- set interaction_columns = [
    'interaction_id',
    'interaction_type',
    'customer_id',
    'contact_reason',
    'channel',
    'started_at',
    'ended_at',
    'is_handled',
    'bot_outcome',
    'fcr_excluded_reason'
] -%}
{%- set longest_window_days = ccm_fcr_longest_window_days() -%}

with

interactions as (

    select
        {{ interaction_columns | join(',\n        ') }}
    from {{ ref('int_customer_interactions_unioned') }}

),

{# A row's flags change while its longest window is still open (a repeat or the end of the
    data can still move) or when a late row lands inside it, so every interaction that ended
    (now or when last built) no earlier than the cutoff is judged again. Besides the changed
    days, the cutoff reaches every interaction still censored when last built (a later end of
    the data completes its windows, however long the center was closed before it) and the
    longest window before the end of the data now (a re-delivery that removes the latest rows
    moves it back, and windows complete before are open again). Each row names the invocation
    that judged it, from which the day-keyed models re-process
    (ccm_interactions_rejudged_from). Read from the model, not from the interactions CTE: a
    CTE with two readers is stored whole by DuckDB (every interaction, 1.4 s at 10 M contacts). #}
interactions_in_scope as (

    select
        {{ interaction_columns | join(',\n        ') }},
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as processed_invocation_id
    from {{ ref('int_customer_interactions_unioned') }}
    {% if is_incremental() %}
        {%- set longest_window = ccm_fcr_windows() | sort(attribute=1) | last -%}
        {%- set censored_from -%}
            select min(censored.ended_at)
            from {{ this }} as censored
            where not censored.is_window_complete_{{ longest_window[0] }}
        {%- endset -%}
        {%- set window_before_data_end -%}
            select {{ dbt.dateadd('day', -(longest_window_days + 1), 'max(data_ends.end_of_data_at)') }}
            from ({{ ccm_data_ends() }}) as data_ends
        {%- endset -%}
        {%- set cutoff = ccm_incremental_cutoff(
            'started_at', longest_window_days, also_from=[censored_from, window_before_data_end]
        ) %}
        where
            ended_at >= {{ cutoff }}
            or interaction_id in (
                select interaction_id from {{ this }}
                where ended_at >= {{ cutoff }}
            )
    {% endif %}

),

{# The data ends at the latest start seen anywhere, including transfer segments and
    handed-off bot conversations that are not interactions of their own. #}
data_ends as (

    {{ ccm_data_ends() }}

),

flagged as (

    {{ ccm_fcr_repeat_flags(
        interactions='interactions_in_scope',
        candidates='interactions',
        end_of_data='data_ends',
        columns=interaction_columns + ['processed_invocation_id']
    ) }}

)

select * from flagged
