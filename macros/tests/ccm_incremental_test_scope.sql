{#- dbt wraps the model of every generic data test in get_where_subquery; this project's version
    adds, to the test's own `where` config, the scope of ccm_incremental_test_scope: on an
    incremental `dbt build` the tests of an incremental model read the rows that run
    re-processed, not its whole history. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set scope = ccm_incremental_test_scope(relation) -%}
    {%- if scope -%}
        {%- do conditions.append(scope) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return(
            '(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery'
        ) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The condition limiting a data test to the rows the current run re-processed, or none (the
    whole model is tested). Only on an incremental `dbt build` (not --full-refresh; `dbt test`
    always tests everything) with the load log present, and only for these:
    - an incremental staging model (the models that read a source): it re-stages the keys of the
      batch_dates the loader changed since the last successful build (ccm_changed_batch_dates);
    - an incremental model whose meta.incremental_tests_since names its time column: its rows
      from the midnight of the moment its run in this invocation recorded
      (ccm_reprocessed_from_recorded), the earliest row it re-processed, for whatever reason;
      no row when it re-processed none; every row when it was not run incrementally in this
      invocation (first build, not selected);
    - a view an incremental model filters on the same time column (ccm_view_test_scope);
    - a raw table the loader fills (ccm_source_test_scope). -#}
{% macro ccm_incremental_test_scope(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or invocation_args_dict.get('which') != 'build' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node or '') -%}
    {%- if tested is none -%}
        {{- return(ccm_source_test_scope(relation)) -}}
    {%- endif -%}
    {%- if tested.resource_type != 'model' or tested.alias != relation.identifier -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if tested.config.materialized not in ['incremental', 'view'] or not ccm_load_log_present() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if tested.sources -%}
        {%- set raw_table = api.Relation.create(
            database=relation.database, schema='raw', identifier=tested.sources[0][1]
        ) -%}
        {{- return(
            '(batch_date in (' ~ ccm_changed_batch_dates(raw_table) ~ ') or '
            ~ ccm_parameters_changed() ~ ')'
        ) -}}
    {%- endif -%}
    {%- set column = tested.config.get('meta', {}).get('incremental_tests_since') -%}
    {%- if column is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if tested.config.materialized == 'view' -%}
        {{- return(ccm_view_test_scope(column)) -}}
    {%- endif -%}
    {%- set recorded = ccm_recorded_reprocessed_from(tested.unique_id) -%}
    {%- if recorded is none -%}
        {{- return(none) -}}
    {%- elif recorded.recorded_from is none -%}
        {{- return('1 = 0') -}}
    {%- endif -%}
    {#- From the moment's midnight: a day-keyed model re-processes the whole day of its cutoff.
        A literal, so that the engine skips the blocks of older rows. -#}
    {{- return(
        'cast(' ~ column ~ ' as ' ~ dbt.type_timestamp() ~ ") >= cast('" ~ recorded.recorded_from[:10]
        ~ "' as " ~ dbt.type_timestamp() ~ ')'
    ) -}}
{%- endmacro %}

{#- The scope of a data test on a view whose readers re-process it from the incremental cutoff
    (meta.incremental_tests_since): a view is computed again by each read, so the scope is a
    literal the engine can apply beneath the view: the earlier of the changed days' cutoff and
    the lookback plus the longest FCR window and a day before the latest day the loader
    delivered. -#}
{% macro ccm_view_test_scope(column) -%}
    {%- set lookback_days = var('incremental_lookback_days') | int + ccm_fcr_longest_window_days() | int + 1 -%}
    {%- set latest_delivered = dbt.dateadd(
        'day', -lookback_days, 'cast(max(batch_date) as ' ~ dbt.type_timestamp() ~ ')'
    ) -%}
    {%- set cutoff = run_query(
        'select cast(least(' ~ latest_delivered ~ ', ' ~ ccm_changed_days_cutoff() ~ ') as '
        ~ dbt.type_string() ~ ") from raw._load_reconciliation where status in "
        ~ ccm_changing_batch_statuses()
    ).columns[0].values()[0] -%}
    {%- if cutoff is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(
        'cast(' ~ column ~ ' as ' ~ dbt.type_timestamp() ~ ") >= cast('" ~ cutoff ~ "' as "
        ~ dbt.type_timestamp() ~ ')'
    ) -}}
{%- endmacro %}

{#- The scope of a data test on a raw table (a source): the rows of the batch_dates the loader
    changed since the last successful build, as the loader logs each batch under its raw
    table's name; none without the load log. -#}
{% macro ccm_source_test_scope(relation) -%}
    {%- for unique_id in model.depends_on.nodes if unique_id.startswith('source.') -%}
        {%- if graph.sources[unique_id].identifier == relation.identifier and ccm_load_log_present() -%}
            {{- return('_batch_date in (' ~ ccm_changed_batch_dates(relation) ~ ')') -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}
