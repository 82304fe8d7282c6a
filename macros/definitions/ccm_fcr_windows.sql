{#- The FCR windows every mart publishes, as (column suffix, hours). The default window is the
    var fcr_window_hours (2 h, the hotline rule); 24 h, 72 h and 7 d are always published so
    that the choice of window can be compared. -#}
{% macro ccm_fcr_windows() -%}
    {{ return([
        ('default', var('fcr_window_hours')),
        ('24h', 24),
        ('72h', 72),
        ('7d', 168),
    ]) }}
{%- endmacro %}

{#- Hours of the longest published window: how far a repeat can reach back. -#}
{% macro ccm_fcr_longest_window_hours() -%}
    {{ return(ccm_fcr_windows() | map(attribute=1) | max) }}
{%- endmacro %}

{# Whole days covered by the longest window: the extra look-back of incremental models whose
   rows depend on FCR flags. #}
{% macro ccm_fcr_longest_window_days() -%}
    {{ return(((ccm_fcr_longest_window_hours() | float) / 24) | round(0, 'ceil') | int) }}
{%- endmacro %}
