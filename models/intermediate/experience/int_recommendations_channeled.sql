{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='recommendation_id',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'reporting_date'},
        post_hook="{{ ccm_incremental_remove_vanished(
            'reporting_date',
            'recommendation_id',
            'select recommendation_id from ' ~ ref('stg_ai__recommendations'),
            fcr_window=false
        ) }}"
    )
}}

{#- One row per recommendation offered, with its reporting day, the channel of the contact or
    bot session it was offered in ('(none)' when it names neither, or that one never arrived)
    and the revenue it brought: only an accepted offer has revenue, a revenue on a declined
    offer would be a data error, not a sale.
    Incremental by recommendation, as int_kb_lookups_channeled: a run re-processes the offers of
    the reporting days from the cutoff on, an offer being made during the contact or bot session
    it names. -#}
{%- if is_incremental() -%}
    {%- set cutoff = ccm_incremental_cutoff('reporting_date', fcr_window=false) -%}
{%- endif %}

with

recommendations as (

    select
        recommendation_id,
        contact_id,
        bot_session_id,
        offered_at,
        accepted,
        revenue
    from {{ ref('stg_ai__recommendations') }}
    {% if is_incremental() %}
        where {{ ccm_reporting_date('offered_at') }} >= cast({{ cutoff }} as date)
    {% endif %}

),

recommendations_channeled as (

    select
        recommendations.recommendation_id,
        {{ ccm_reporting_date('recommendations.offered_at') }} as reporting_date,
        {{ ccm_event_channel(unmatched='(none)') }} as channel,
        case
            when recommendations.contact_id is not null then 'contact'
            when recommendations.bot_session_id is not null then 'bot_session'
            else '(none)'
        end as offered_in,
        recommendations.accepted,
        case when recommendations.accepted then coalesce(recommendations.revenue, 0) end
            as accepted_revenue
    from recommendations
    {{ ccm_join_event_interactions('recommendations') }}

)

select * from recommendations_channeled
