/*
 * DataProduct descriptors declared twice: the catalog serves the first file
 * it read and ignores the other, saying so only in its log and on its
 * `experimental.catalog.conflict` event. Kept here so that the served
 * product's page, its team and the Data Mesh page can show the conflict.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_descriptor_conflicts', table => {
    table.comment(
      'A DataProduct declared in a second file the catalog ignores',
    );
    table
      .string('conflict_key', 40)
      .primary()
      .comment('sha1 of the entity ref and the ignored location');
    table
      .text('entity_ref')
      .notNullable()
      .comment('the product, as a lower-case full ref');
    table.text('name').notNullable().comment('metadata.name as written');
    table.text('namespace').notNullable();
    table.text('kind').notNullable().comment('kind as written');
    table.text('owner').nullable().comment('spec.owner of the ignored file');
    table
      .text('ignored_location')
      .notNullable()
      .comment('location key of the file the catalog ignores');
    table
      .text('served_location')
      .notNullable()
      .comment('location key of the file the catalog serves');
    table
      .bigInteger('reported_at')
      .notNullable()
      .comment('epoch milliseconds of the newest conflict event');
    table
      .bigInteger('checked_at')
      .nullable()
      .comment('epoch milliseconds of the last check that it still holds');
    table.index(['entity_ref'], 'dm_descriptor_conflicts_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_descriptor_conflicts');
};
