{#- One row per customer on record (latest version). The keyed hashes of e-mail address and
    phone number stay in staging: no mart holds contact details or a hash of them
    (docs/security.md). -#}
with

customers as (

    select
        customer_id,
        segment,
        created_at,
        churned_at
    from {{ ref('stg_crm__customers') }}

),

final as (

    select
        cast(customer_id as string) as customer_id,
        cast(segment as string) as segment,
        cast(created_at as timestamp) as created_at,
        cast(churned_at as timestamp) as churned_at
    from customers

)

select * from final
