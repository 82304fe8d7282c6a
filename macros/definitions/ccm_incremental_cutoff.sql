{#- The first moment an incremental run re-processes, rendered as a timestamp literal at midnight
    (computed once, when the model is compiled for execution). It is the earliest of:
    - the changed days: the earliest day the loader changed since the last successful build
      (ccm_changed_days_cutoff), so a day re-delivered or corrected long after it was first
      loaded is re-processed whatever its age;
    - the lookback: var incremental_lookback_days (plus extra_days) before the latest day
      already in the model (optionally only over the rows matching `where`), in place of the
      changed days when the load log is absent (the `ci` target) or says nothing changed;
    - also_from: a select (or a list of selects) of one more moment (null for none) the model
      knows it changed from, such as a late survey about an old contact, or the interactions
      whose FCR windows the end of the data completed (ccm_interactions_rejudged_from).
    Everything from that moment on is recomputed and replaces what is there (delete+insert).
    The moment is recorded for the model's data tests (ccm_reprocessed_from_recorded).

    With the load log the lookback is not needed on top of the changed days: every delivered
    row is logged with its day, and the one change no batch dates, an interaction's window
    completed by a later end of the data, reaches the models through also_from.

    fcr_window=false is for a model whose rows depend on no day but their own (chaining the
    segments of a contact chain, stitching a chain, measuring an agent's adherence): its
    changed days' cutoff keeps only the day's margin, not the longest FCR window. A changed
    day then re-processes about two days of such rows instead of ten. -#}
{% macro ccm_incremental_cutoff(column_name, extra_days=0, where=none, also_from=none, fcr_window=true) -%}
    {%- set changed = ccm_changed_days_cutoff(fcr_window) -%}
    {%- set lookback -%}
        (
            select
                {{ dbt.dateadd(
                    'day',
                    -(var('incremental_lookback_days') | int + extra_days | int),
                    'cast(cast(max(' ~ column_name ~ ') as date) as timestamp)'
                ) }}
            from {{ this }}
            {%- if where %}
                where {{ where }}
            {%- endif %}
        )
    {%- endset -%}
    {%- set candidates = [lookback if changed is none else 'coalesce(' ~ changed ~ ', ' ~ lookback ~ ')'] -%}
    {%- for moment in ([] if also_from is none else [also_from] if also_from is string else also_from) -%}
        {%- do candidates.append('(' ~ moment ~ ')') -%}
    {%- endfor -%}
    {%- set cutoff_sql = candidates[0] if candidates | length == 1 else 'least(' ~ candidates | join(', ') ~ ')' -%}
    {%- if execute -%}
        {%- set cutoff = run_query('select cast(' ~ cutoff_sql ~ ' as ' ~ dbt.type_string() ~ ')').columns[0].values()[0] -%}
        {#- An empty model has no latest day: everything is re-processed. -#}
        {%- set cutoff_literal = "cast('" ~ (cutoff or '0001-01-01 00:00:00') ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
        {%- do ccm_reprocessed_from_recorded(cutoff_literal) -%}
        {{- cutoff_literal -}}
    {%- else -%}
        {{- cutoff_sql -}}
    {%- endif -%}
{%- endmacro %}

{#- The earliest day whose rows changed since the last successful build, minus the longest FCR
    window (unless fcr_window is false) and a day (as for a new day: the FCR flags of the
    interactions before it change, and a reporting day is shifted from UTC by the reporting
    time zone). Rendered as
    a scalar subquery, null when nothing changed, for the caller to compute in the statement that
    needs it; none when the load log is absent.

    The loader logs every batch in raw._load_reconciliation; a batch that was loaded
    (loaded, loaded_with_quarantine) or corrected from the quarantine (corrected) changed the
    rows of its batch_date, and of earliest_row_date when that is earlier: the earliest day of a
    row it loaded or removed (a new version of an old contact comes in the file of the day it
    changed, but it changes its own day). The on-run-start/on-run-end hooks log every dbt
    invocation in ccmetrics_meta.build_runs; a `build`, `run` or `retry` that ended with status success
    left every incremental model consistent with the batches finished before it started. When
    no such build is recorded every batch counts as changed; when it ran under other parameters
    (ccm_parameters_changed) every day does. When either table is missing (the `ci` target
    builds from seeds) only the lookback applies. -#}
{% macro ccm_changed_days_cutoff(fcr_window=true) -%}
    {%- if not ccm_load_log_present() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set earliest_changed -%}
        coalesce(
            case
                when {{ ccm_parameters_changed() }}
                    then cast('0001-01-01 00:00:00' as {{ dbt.type_timestamp() }})
            end,
            (
                select
                    {{ dbt.dateadd(
                        'day',
                        -((ccm_fcr_longest_window_days() | int if fcr_window else 0) + 1),
                        'cast(min(' ~ ccm_batch_changed_from('batches') ~ ') as '
                        ~ dbt.type_timestamp() ~ ')'
                    ) }}
                from raw._load_reconciliation as batches
                cross join ({{ ccm_last_successful_build_started() }}) as last_build
                where
                    batches.status in {{ ccm_changing_batch_statuses() }}
                    and batches.batch_date is not null
                    and (last_build.started_at is null or batches.finished_at >= last_build.started_at)
            )
        )
    {%- endset -%}
    {{- return(earliest_changed) -}}
{%- endmacro %}

{#- Post-hook of an incremental model keyed on `key_column`: delete+insert replaces the rows
    whose key the run produced, but a row whose key no longer exists upstream (a contact removed
    by a re-delivery, a chain whose only segment moved to another chain) is produced by no run.
    Such rows belong to changed days, so only rows from the changed days' cutoff on are checked
    against `current_keys` (a select of the keys that exist now), and only their keys are looked
    up there: hashing every current key cost seconds per model on a one-day run. fcr_window as
    for the model's ccm_incremental_cutoff. -#}
{% macro ccm_incremental_remove_vanished(time_column, key_column, current_keys, fcr_window=true) -%}
    {%- set changed = ccm_changed_days_cutoff(fcr_window=fcr_window) if is_incremental() else none -%}
    {%- set cutoff = none if changed is none else run_query(
        'select cast(' ~ changed ~ ' as ' ~ dbt.type_string() ~ ')'
    ).columns[0].values()[0] -%}
    {%- if cutoff is not none -%}
        {%- set checked_keys -%}
            select checked.{{ key_column }}
            from {{ this }} as checked
            where checked.{{ time_column }} >= cast('{{ cutoff }}' as {{ dbt.type_timestamp() }})
        {%- endset -%}
        delete from {{ this }}
        where
            {{ time_column }} >= cast('{{ cutoff }}' as {{ dbt.type_timestamp() }})
            and {{ key_column }} not in (
                select current_keys.key_value
                from ({{ current_keys }}) as current_keys (key_value)
                where current_keys.key_value in ({{ checked_keys }})
            )
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of an incremental model keyed on a day: delete+insert replaces the days the run
    produced, so a day that no longer has any row would be left as it was; every day the run
    re-processes is emptied first. The cutoff is computed before the delete, like the model's. -#}
{% macro ccm_incremental_clear_days(date_column, extra_days=0, where=none, also_from=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ date_column }} >= cast({{ ccm_incremental_cutoff(date_column, extra_days, where, also_from) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- The first day a logged batch (an alias of raw._load_reconciliation) changed: its batch_date,
    or the earliest day of a row it loaded or removed when that is earlier. A load log written
    before the loader recorded earliest_row_date has only the batch dates. -#}
{% macro ccm_batch_changed_from(batches) -%}
    {%- set load_log = adapter.get_relation(
        database=target.database, schema='raw', identifier='_load_reconciliation'
    ) -%}
    {%- set logged = adapter.get_columns_in_relation(load_log) | map(attribute='name') | map('lower') | list -%}
    {%- if 'earliest_row_date' in logged -%}
        case
            when {{ batches }}.earliest_row_date < {{ batches }}.batch_date
                then {{ batches }}.earliest_row_date
            else {{ batches }}.batch_date
        end
    {%- else -%}
        {{ batches }}.batch_date
    {%- endif -%}
{%- endmacro %}
