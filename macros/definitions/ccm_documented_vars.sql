{#- The documented parameters: every var of dbt_project.yml's `vars:` block with the value it
    gives there (the default), as a dict. dbt_project.yml stays the one definition, also read
    by the loader and the report. dbt's `var()` only returns the value in effect (a --vars
    override or a unit test's `overrides: vars:` wins), so the defaults are read from the
    project's own variable table: `var.packages_for_node()` is the lookup `var()` itself uses
    (dbt-core 1.11, pinned in require-dbt-version). Vars scoped to a package are skipped. -#}
{% macro ccm_documented_vars() -%}
    {%- set documented = {} -%}
    {%- for project in var.packages_for_node() if project.project_name == project_name -%}
        {%- for name, value in project.vars.vars.items() if name != project_name -%}
            {%- do documented.update({name: value}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(documented) }}
{%- endmacro %}
