{#- The checksum of one csat rating of int_metric_events_unioned: its survey and whether it
    counts as satisfied, the two things of a rating a rebuild of the model depends on besides
    its day. -#}
{% macro ccm_csat_rating_checksum(survey_id, csat_score) -%}
    {{ ccm_checksum(dbt.concat([
        survey_id,
        "'|'",
        "case when " ~ ccm_is_csat_satisfied(csat_score) ~ " then '1' else '0' end"
    ])) }}
{%- endmacro %}

{#- A select of the earliest reporting day whose csat events a rebuild of
    int_metric_events_unioned would add, remove or change (null when none): the events of a survey
    belong to the day of the contact it rates, which the changed days' cutoff does not reach when
    the survey arrives, is re-delivered or is corrected long after that contact. The model keeps
    sums, so each day's 1-5 ratings are compared with its csat rows by their number and the
    bit_xor of their checksums (ccm_csat_rating_checksum): a rating that arrived, vanished,
    moved to another day or changed sides changes both days' checksums, even when the day's
    count and satisfied sum stay the same (two ratings that swap their scores). -#}
{% macro ccm_csat_events_changed_from() -%}
    select cast(min(coalesce(ratings.event_date, csat_events.event_date)) as {{ dbt.type_timestamp() }})
    from (
        select
            reporting_date as event_date,
            count(*) as ratings,
            bit_xor({{ ccm_csat_rating_checksum('survey_id', 'csat_score') }}) as ratings_checksum
        from {{ ref('int_survey_responses_attributed') }}
        where csat_score between 1 and 5
        group by reporting_date
    ) as ratings
    full outer join (
        select
            event_date,
            sum(denominator) as ratings,
            bit_xor(ratings_checksum) as ratings_checksum
        from {{ this }}
        where metric_name = 'csat'
        group by event_date
    ) as csat_events
        on ratings.event_date = csat_events.event_date
    where
        ratings.event_date is null
        or csat_events.event_date is null
        or ratings.ratings <> csat_events.ratings
        or ratings.ratings_checksum <> csat_events.ratings_checksum
{%- endmacro %}

{#- Whether a period of fct_metric_drilldown is complete: the contact deliveries cover it from
    its first to its last day (fct_source_coverage's first and last complete dates). -#}
{% macro ccm_is_complete_period(period_grain, period_start, first_complete_date, last_complete_date) -%}
    coalesce(
        {{ period_start }} >= {{ first_complete_date }}
        and case
            when {{ period_grain }} = 'day' then {{ period_start }}
            else {{ dbt.dateadd('day', 6, period_start) }}
        end <= {{ last_complete_date }},
        false
    )
{%- endmacro %}

{#- A select of the first and last complete day of the contact deliveries, which decide whether a
    drill-down period is complete. -#}
{% macro ccm_drilldown_complete_days() -%}
    select
        max(first_complete_date) as first_complete_date,
        max(last_complete_date) as last_complete_date
    from {{ ref('fct_source_coverage') }}
    where source_name = 'contacts'
{%- endmacro %}

{#- The first day fct_metric_drilldown re-processes on an incremental run, as a date literal
    (computed when the model or its pre-hook is compiled for execution), or none on a full
    build. A period is judged against the center's 4 weeks before it, so every day from the
    earliest event day int_metric_events_unioned re-computed in this invocation is re-processed
    (with the weeks that contain them), and also:
    - a day whose events all vanished (no event of its metric is left to re-compute it);
    - a period whose completeness changed (fct_source_coverage moved its complete days).
    Nothing re-computed and nothing stale gives the day after the latest event; no event at
    all, everything. The start of the week containing that day is recorded for the model's data
    tests (ccm_reprocessed_from_recorded): every period re-processed starts on or after it. -#}
{% macro ccm_drilldown_reprocess_from() -%}
    {%- if not is_incremental() or not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set events = ref('int_metric_events_unioned') -%}
    {%- set earliest_changed -%}
        select
            cast(coalesce(
                least(
                    (
                        select min(recomputed.event_date)
                        from {{ events }} as recomputed
                        where recomputed.processed_invocation_id = '{{ invocation_id }}'
                    ),
                    {#- the event days are grouped first: an anti-join would hash every event -#}
                    (
                        select min(drilldown.period_start)
                        from {{ this }} as drilldown
                        left join (
                            select remaining.metric_name, remaining.event_date
                            from {{ events }} as remaining
                            group by remaining.metric_name, remaining.event_date
                        ) as event_days
                            on
                                drilldown.metric_name = event_days.metric_name
                                and drilldown.period_start = event_days.event_date
                        where
                            drilldown.period_grain = 'day'
                            and drilldown.drilldown_level = 'center'
                            and event_days.event_date is null
                    ),
                    (
                        select min(drilldown.period_start)
                        from {{ this }} as drilldown
                        cross join ({{ ccm_drilldown_complete_days() }}) as complete_days
                        where drilldown.is_complete_period <> {{ ccm_is_complete_period(
                            'drilldown.period_grain',
                            'drilldown.period_start',
                            'complete_days.first_complete_date',
                            'complete_days.last_complete_date'
                        ) }}
                    )
                ),
                (
                    select {{ dbt.dateadd('day', 1, 'max(latest.event_date)') }}
                    from {{ events }} as latest
                ),
                cast('0001-01-01' as date)
            ) as date) as reprocess_from
    {%- endset -%}
    {%- set reprocess_from = run_query(
        'select cast(reprocess_from as ' ~ dbt.type_string() ~ ') from (' ~ earliest_changed ~ ') as cutoff'
    ).columns[0].values()[0] -%}
    {%- set reprocess_from_literal = "cast('" ~ reprocess_from ~ "' as date)" -%}
    {%- do ccm_reprocessed_from_recorded(ccm_week_start(reprocess_from_literal)) -%}
    {{- return(reprocess_from_literal) -}}
{%- endmacro %}

{#- Condition: a period of fct_metric_drilldown is one an incremental run re-processes, a day from
    reprocess_from on or a week that contains such a day. The pre-hook deletes exactly the
    periods the model emits. -#}
{% macro ccm_drilldown_is_reprocessed(period_grain, period_start, reprocess_from) -%}
    (
        ({{ period_grain }} = 'day' and {{ period_start }} >= {{ reprocess_from }})
        or ({{ period_grain }} = 'week' and {{ period_start }} >= {{ ccm_week_start(reprocess_from) }})
    )
{%- endmacro %}

{#- Pre-hook of fct_metric_drilldown: empties the periods the run re-processes
    (ccm_drilldown_is_reprocessed), so that a period left without events does not keep its old
    rows. -#}
{% macro ccm_drilldown_clear_periods() -%}
    {%- set reprocess_from = ccm_drilldown_reprocess_from() -%}
    {%- if reprocess_from is not none -%}
        delete from {{ this }}
        where {{ ccm_drilldown_is_reprocessed('period_grain', 'period_start', reprocess_from) }}
    {%- endif -%}
{%- endmacro %}
